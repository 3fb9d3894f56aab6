"""``communitylab progress``: a learner's own progress, or a room's for the trainer.

Usage::

    communitylab progress                      # your checks, from your progress file
    communitylab progress --file PATH          # someone else's file
    communitylab progress --room DIR           # every *.jsonl under DIR, one row per exercise
    communitylab progress --room DIR --chart room.html   # plus a chart (.html or .svg, offline)

Nothing is sent anywhere: the trainer collects the learners' files (USB stick,
shared folder, LMS upload) into ``DIR``.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from communitylab.cli import EXIT_USAGE
from communitylab.exercises import progress
from communitylab.i18n import has, set_lang, t

__all__ = ["run", "format_table", "room_chart"]


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with aligned columns (CJK-aware)."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(value + " " * (widths[i] - _width(value)) for i, value in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def exercise_titles() -> dict[str, str]:
    """Exercise id -> title in the current language, for every exercise module installed."""
    import importlib

    from communitylab.exercises import MODULES

    titles = {}
    for path in MODULES.values():
        try:
            module = importlib.import_module(path)
        except ImportError:  # a module whose model is not installed
            continue
        titles.update({exercise.id: t(exercise.title) for exercise in module.EXERCISES})
    return titles


def _median(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}"


def room_chart(rows: list[dict[str, Any]]):
    """Grouped bars: learners who attempted and who solved each exercise (an altair chart)."""
    import altair as alt
    import pandas as pd

    attempted, solved = t("exercises.progress.series_attempted"), t("exercises.progress.series_solved")
    data = pd.DataFrame(
        [{"exercise": r["exercise"], "series": attempted, "learners": r["attempted"]} for r in rows]
        + [{"exercise": r["exercise"], "series": solved, "learners": r["solved"]} for r in rows]
    )
    exercise_title = t("exercises.progress.col_exercise")
    return (
        alt.Chart(data, title=t("exercises.progress.chart_title"))
        .mark_bar()
        .encode(
            x=alt.X("exercise:N", title=exercise_title, sort=[r["exercise"] for r in rows]),
            xOffset=alt.XOffset("series:N", sort=[attempted, solved]),
            y=alt.Y("learners:Q", title=t("exercises.progress.axis_learners")),
            color=alt.Color("series:N", title=None, sort=[attempted, solved]),
            tooltip=["exercise:N", "series:N", "learners:Q"],
        )
        .properties(width=max(240, 36 * len(rows)), height=220)
    )


def _save_chart(chart: Any, path: Path) -> None:
    """Write the chart without any network access: SVG through vl-convert, or self-contained HTML."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".svg":
        chart.save(str(path), format="svg")
    else:
        chart.save(str(path), format="html", inline=True)


def _outcome_label(status: str) -> str:
    """The last outcome in words ("Correct.", "Not yet."), or the raw status if unknown."""
    key = f"exercises.heading.{status}"
    return t(key).rstrip(".。") if status and has(key) else status


def _learner_report(path: Path) -> int:
    records, skipped = progress.read_records(path)
    if not records:
        print(t("exercises.progress.none", path=path))
        return 0
    rows = progress.learner_summary(records)
    yes, no = t("exercises.progress.yes"), t("exercises.progress.no")
    titles = exercise_titles()
    headers = [
        t(f"exercises.progress.col_{c}")
        for c in ("exercise", "title", "checks", "solved", "checks_to_solve", "hints", "last")
    ]
    body = [
        [
            r["exercise"],
            titles.get(r["exercise"], ""),
            r["checks"],
            yes if r["solved"] else no,
            r["checks_to_solve"] or "–",
            r["hints"],
            _outcome_label(r["last"]),
        ]
        for r in rows
    ]
    print(t("exercises.progress.title") + f" ({path})")
    print(format_table(headers, body))
    _report_skipped(skipped)
    return 0


def _report_skipped(skipped: list[progress.Skipped]) -> None:
    """Say how many lines were left out and where (the first few), on stderr, so the table stays clean."""
    if not skipped:
        return
    print(t("exercises.progress.skipped", count=len(skipped)), file=sys.stderr)
    for place in skipped[:5]:
        print(f"  {place}", file=sys.stderr)
    if len(skipped) > 5:
        print("  ...", file=sys.stderr)


def _room_report(folder: Path, chart_path: Path | None) -> int:
    if not folder.is_dir():
        print(f"communitylab progress: {folder} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    records, skipped = progress.read_records(folder)
    rows = progress.room_summary(records)
    learners = len({r.get("learner") for r in records})
    print(
        t("exercises.progress.room_title")
        + f" ({folder}): "
        + t("exercises.progress.learners", count=learners, records=len(records))
    )
    if not rows:
        print(t("exercises.progress.none", path=folder))
    else:
        titles = exercise_titles()
        headers = [
            t(f"exercises.progress.col_{c}")
            for c in ("exercise", "title", "attempted", "solved", "median", "common_wrong")
        ]
        body = [
            [
                r["exercise"],
                titles.get(r["exercise"], ""),
                r["attempted"],
                r["solved"],
                _median(r["median_checks_to_solve"]),
                f"{r['common_wrong']} (×{r['common_wrong_count']})" if r["common_wrong_count"] else "–",
            ]
            for r in rows
        ]
        print(format_table(headers, body))
    _report_skipped(skipped)
    if chart_path is not None and rows:
        _save_chart(room_chart(rows), chart_path)
        print(t("exercises.progress.chart_written", path=chart_path))
    return 0


def run(args: argparse.Namespace) -> int:
    """``communitylab progress``: print a learner's or a room's progress; exit 0, or 2 on a bad folder."""
    if args.lang:
        set_lang(args.lang)
    if args.chart is not None and args.room is None:
        print("communitylab progress: error: --chart needs --room", file=sys.stderr)
        return EXIT_USAGE
    if args.room is not None:
        return _room_report(args.room, args.chart)
    return _learner_report(args.file or progress.progress_file())
