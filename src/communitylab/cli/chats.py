"""``communitylab import`` and ``communitylab report``: chat exports from the command line.

``communitylab import PATH [--format ...] [--summary-json]`` prints a readable summary, or with
``--summary-json`` exactly one JSON object (keys: :func:`communitylab.data.summary.import_summary`),
followed by the first problems (file, line or record, reason) on standard error.
``communitylab report PATH --out report.html`` writes a standalone offline HTML health report
(:mod:`communitylab.reports.html_report`).

Bad input (unknown format, unreadable encoding, empty, truncated or oversized file, a missing
path, or a file of which not one record can be used, e.g. with the wrong ``--format``) prints
a clear message to standard error and exits with code 2, without a traceback. The summary is
still printed when records were read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, NamedTuple

from communitylab.cli import EXIT_USAGE

__all__ = ["run_import", "run_report"]

#: Problems listed one by one after a report.
SHOWN_PROBLEMS = 10


class _Imported(NamedTuple):
    """A chat export read for one sub-command.

    Attributes
    ----------
    prog : str
        The sub-command, e.g. ``"communitylab import"``, that starts every message it prints.
    messages : pandas.DataFrame
        The ``Messages`` table (:mod:`communitylab.data.schema`).
    report : ImportReport
        What the importer read, kept and dropped, and why.
    """

    prog: str
    messages: Any
    report: Any


def _read(args: argparse.Namespace, prog: str) -> _Imported | None:
    """Import ``args.path`` for the sub-command ``prog``; on bad input print a message and return ``None``."""
    from communitylab.data.importers import ChatImportError, read_chat

    path = Path(args.path)
    if not path.exists():
        print(f"{prog}: error: {path.name or path} does not exist.", file=sys.stderr)
        return None
    options = {"tz": args.tz, "pseudonymise": not args.no_pseudonyms}
    if args.max_mb is not None:
        options["max_bytes"] = int(args.max_mb * 1024 * 1024)
    try:
        return _Imported(prog, *read_chat(path, args.format, **options))
    except ChatImportError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
    except (OSError, UnicodeError, ValueError) as exc:
        print(f"{prog}: error: cannot import {path.name}: {exc}", file=sys.stderr)
    except MemoryError:
        print(f"{prog}: error: {path.name} is too large for this computer's memory.", file=sys.stderr)
    except Exception as exc:
        if os.environ.get("COMMUNITYLAB_DEBUG"):
            raise
        print(
            f"{prog}: error: {path.name} could not be imported ({type(exc).__name__}: {exc}). "
            "Set COMMUNITYLAB_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
    return None


def _print_problems(report, limit: int) -> None:
    if not report.dropped:
        return
    listed = report.problems[:limit]
    print(f"{report.dropped} of {report.read} records dropped; first {len(listed)}:", file=sys.stderr)
    for problem in listed:
        print(f"  {problem}", file=sys.stderr)
    more = report.dropped - len(listed)
    if more > 0:
        print(f"  ... and {more} more", file=sys.stderr)


def _nothing_usable(imported: _Imported, args: argparse.Namespace) -> bool:
    """Say so, with a hint, when records were read but not one could be used."""
    report = imported.report
    if report.read and not report.kept:
        hint = " Is --format right?" if args.format != "auto" else ""
        print(
            f"{imported.prog}: error: none of the {report.read:,} records of {Path(args.path).name} could be used "
            f"as a {report.format} export.{hint}",
            file=sys.stderr,
        )
        return True
    return False


def run_import(args: argparse.Namespace) -> int:
    """``communitylab import``: summarise a chat export; exit 0, or 2 on bad input."""
    from communitylab.data.summary import import_summary

    imported = _read(args, "communitylab import")
    if imported is None:
        return EXIT_USAGE
    summary = import_summary(imported.messages, imported.report)
    if args.summary_json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"{Path(args.path).name}: {summary['format']} export")
        print(f"  messages       {summary['messages']:>10,}  (from {summary['authors']:,} authors)")
        print(f"  system events  {summary['system_events']:>10,}")
        print(f"  replies        {summary['replies']:>10,}")
        print(f"  first          {summary['first']}")
        print(f"  last           {summary['last']}")
        print(
            f"  records        {summary['read']:>10,} read = {summary['kept']:,} kept + {summary['dropped']:,} dropped"
        )
    _print_problems(imported.report, args.problems)
    return EXIT_USAGE if _nothing_usable(imported, args) else 0


def run_report(args: argparse.Namespace) -> int:
    """``communitylab report``: write an offline HTML health report; exit 0, or 2 on bad input."""
    imported = _read(args, "communitylab report")
    if imported is None:
        return EXIT_USAGE
    prog, messages, report = imported
    if _nothing_usable(imported, args):
        _print_problems(report, SHOWN_PROBLEMS)
        return EXIT_USAGE
    from communitylab.i18n import normalize_lang
    from communitylab.reports.html_report import render_report

    page = render_report(
        messages,
        source_name=Path(args.path).name,
        source_format=report.format,
        problems=report.problems,
        read=report.read,
        dropped=report.dropped,
        lang=normalize_lang(args.lang) if args.lang else None,
    )
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        print(f"{prog}: error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {out} ({len(page.encode('utf-8')) / 1024:.0f} KB)")
    _print_problems(report, SHOWN_PROBLEMS)
    return 0
