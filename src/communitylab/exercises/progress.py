"""Local progress: one JSON line per check, hint or solution, in the learner's data folder.

Nothing leaves the machine. The file is ``progress-<learner>.jsonl`` in
``COMMUNITYLAB_PROGRESS_DIR`` if set, else in the platform's user data directory
(``platformdirs.user_data_dir("communitylab")``). The learner id is
``COMMUNITYLAB_LEARNER`` if set, else the login name.

Writes are safe when several kernels of the same learner write at once: each
record is one ``os.write`` on a file opened with ``O_APPEND`` (the kernel appends
it in one piece), under an advisory ``flock`` where the platform has one. A
reader skips lines it cannot use (cut short by a crash, fields of the wrong type)
and says which, so a damaged line costs that record only; the next writer starts
on a fresh line.

Set ``COMMUNITYLAB_PROGRESS=off`` to keep no records at all (a CI machine
running the exercise notebooks, a demo laptop).

A trainer collects learners' files into a folder and summarises them with
``communitylab progress --room DIR`` (:func:`room_summary`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # POSIX only; on Windows O_APPEND alone keeps lines whole for records this small
    import fcntl
except ImportError:  # pragma: no cover - not on this platform
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "progress_dir",
    "learner_id",
    "progress_file",
    "append_record",
    "read_records",
    "Skipped",
    "learner_summary",
    "room_summary",
]

FORMAT_VERSION = 1


def progress_dir() -> Path:
    """Folder holding progress files (``COMMUNITYLAB_PROGRESS_DIR`` or the user data dir)."""
    override = os.environ.get("COMMUNITYLAB_PROGRESS_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("communitylab", appauthor=False))


def learner_id() -> str:
    """Who is learning: ``COMMUNITYLAB_LEARNER``, else the login name, else ``"learner"``."""
    name = os.environ.get("COMMUNITYLAB_LEARNER")
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # no login name (some containers): still record
            name = "learner"
    return name


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "learner"


def progress_file(learner: str | None = None, folder: Path | None = None) -> Path:
    """Path of a learner's progress file."""
    return (folder or progress_dir()) / f"progress-{_safe(learner or learner_id())}.jsonl"


def append_record(record: dict[str, Any], path: Path | None = None) -> bool:
    """Append one record as a JSON line; return False (never raise) if it cannot be written.

    Parameters
    ----------
    record : dict
        JSON-serialisable fields; ``v``, ``time`` and ``learner`` are added if absent.
    path : Path, optional
        File to append to (default: :func:`progress_file`).
    """
    full = {"v": FORMAT_VERSION, "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "learner": learner_id()}
    full.update(record)
    line = json.dumps(full, ensure_ascii=False, default=str).replace("\n", " ") + "\n"
    target = Path(path) if path is not None else progress_file(full["learner"])
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # read-write: the last byte is read to see whether a crashed writer left half a line
        fd = os.open(target, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        data = line.encode("utf-8")
        # A previous writer may have died mid-line: start ours on a fresh line.
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data
        os.write(fd, data)  # one write: the line lands whole at the end of the file
        return True
    except OSError:
        return False
    finally:
        if fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _lines(path: Path) -> Iterator[str]:
    with open(path, "rb") as handle:
        for raw in handle:
            yield raw.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Skipped:
    """A line of a progress file that is not a record: where it is and why it was left out."""

    path: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


#: Fields a record may hold and the types each must have (a string, or a number for the counters).
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "exercise": (str,),
    "learner": (str,),
    "event": (str,),
    "outcome": (str,),
    "wrong": (str, type(None)),
    "answer": (str, type(None)),
    "attempt": (int, type(None)),
}


def _problem(record: Any) -> str | None:
    """Why a parsed line is not a usable record, or None when it is one."""
    if not isinstance(record, dict):
        return f"a JSON {type(record).__name__}, not an object"
    if "exercise" not in record:
        return "no exercise"
    for name, types in _FIELD_TYPES.items():
        if name in record and (not isinstance(record[name], types) or isinstance(record[name], bool)):
            return f"{name} is a {type(record[name]).__name__}"
    return None


def read_records(source: Path | Iterable[Path]) -> tuple[list[dict[str, Any]], list[Skipped]]:
    """Records from a file, a folder (every ``*.jsonl`` below it) or several files.

    A line that is not a record is skipped, never fatal: one learner's damaged file
    (a line cut short by a crash, a field of the wrong type, nesting deeper than the
    parser goes) costs that line only, and the rest of the room is kept.

    Returns
    -------
    records : list of dict
        Parsed records in file order; each gets ``learner`` from its file name if it has none.
    skipped : list of Skipped
        The lines that were not valid records, with file, line number and reason.
    """
    if isinstance(source, (str, Path)):
        source = Path(source)
        paths = sorted(source.rglob("*.jsonl")) if source.is_dir() else [source]
    else:
        paths = [Path(p) for p in source]
    records: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    for path in paths:
        if not path.exists():
            continue
        fallback = path.stem.removeprefix("progress-")
        for number, line in enumerate(_lines(path), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as error:  # RecursionError: nesting deeper than the parser goes
                skipped.append(
                    Skipped(path, number, "not JSON" if isinstance(error, ValueError) else "nested too deep")
                )
                continue
            problem = _problem(record)
            if problem is not None:
                skipped.append(Skipped(path, number, problem))
                continue
            record.setdefault("learner", fallback)
            records.append(record)
    return records, skipped


def _checks(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for record in records:
        if record.get("event", "check") == "check" and record.get("outcome") != "not_attempted":
            yield record


def learner_summary(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One learner's progress per exercise, in first-seen order.

    Returns
    -------
    list of dict
        ``exercise``, ``checks`` (not counting blanks), ``solved`` (bool),
        ``checks_to_solve`` (or None), ``hints`` (hints shown), ``last`` (last outcome).
    """
    rows: dict[str, dict[str, Any]] = {}
    for record in records:
        row = rows.setdefault(
            record["exercise"],
            {
                "exercise": record["exercise"],
                "checks": 0,
                "solved": False,
                "checks_to_solve": None,
                "hints": 0,
                "last": "",
            },
        )
        event = record.get("event", "check")
        if event == "hint":
            row["hints"] += 1
        elif event == "check":
            row["last"] = record.get("outcome", "")
            if record.get("outcome") == "not_attempted":
                continue
            row["checks"] += 1
            if record.get("outcome") == "correct" and not row["solved"]:
                row["solved"] = True
                row["checks_to_solve"] = row["checks"]
    return list(rows.values())


def room_summary(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """A room's progress per exercise (sorted by exercise id).

    Returns
    -------
    list of dict
        ``exercise``; ``attempted`` (learners with at least one real check); ``solved``
        (learners who got it right); ``median_checks_to_solve`` (median over solvers of the
        checks up to and including the first correct one, or None); ``common_wrong``
        (the most frequent wrong answer: a known-wrong id, else the answer as recorded)
        and ``common_wrong_count``.
    """
    per_learner: dict[tuple[str, str], dict[str, Any]] = {}
    wrong: dict[str, Counter] = defaultdict(Counter)
    for record in _checks(records):
        key = (record["exercise"], str(record.get("learner", "")))
        state = per_learner.setdefault(key, {"checks": 0, "solved_at": None})
        state["checks"] += 1
        if record.get("outcome") == "correct" and state["solved_at"] is None:
            state["solved_at"] = state["checks"]
        if record.get("outcome") in ("incorrect", "error"):
            label = record.get("wrong") or record.get("answer") or record.get("outcome")
            wrong[record["exercise"]][str(label)] += 1
    table: dict[str, dict[str, Any]] = {}
    for (exercise, _), state in per_learner.items():
        row = table.setdefault(exercise, {"exercise": exercise, "attempted": 0, "solved": 0, "_solve": []})
        row["attempted"] += 1
        if state["solved_at"] is not None:
            row["solved"] += 1
            row["_solve"].append(state["solved_at"])
    rows = []
    for exercise in sorted(table, key=_exercise_order):
        row = table.pop(exercise)
        solve = row.pop("_solve")
        row["median_checks_to_solve"] = statistics.median(solve) if solve else None
        common = wrong[exercise].most_common(1)
        row["common_wrong"], row["common_wrong_count"] = common[0] if common else ("", 0)
        rows.append(row)
    return rows


def _exercise_order(exercise: str) -> tuple:
    # "m01.q10" after "m01.q9": compare digit runs as numbers
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", exercise))
