"""``communitylab import`` and ``communitylab report``: chat exports from the command line.

``communitylab import PATH [--format auto|wechat|telegram|discord|whatsapp|slack] [--summary-json]``
    Import an export and summarise it. With ``--summary-json`` exactly one JSON object
    is printed, with these keys:

    ``format``         the format read (``wechat``, ``telegram``, ...)
    ``messages``       user messages (bots included), not counting service events
    ``system_events``  service events: joins, leaves, renames, calls and other notices
    ``authors``        distinct authors of ``messages``
    ``first``/``last`` time of the first and last of ``messages`` (of all records if there
                       are no messages), ISO 8601 with UTC offset; ``null`` if empty
    ``replies``        ``messages`` that reply to another message or sit in a thread
                       under another message
    ``read``           records read; ``read == kept + dropped``
    ``kept``           records kept (a repeated message id is kept once)
    ``dropped``        records that could not be used (listed as problems), repeats included

    Without ``--summary-json`` a readable summary is printed, followed by the first
    problems (file, line or record, reason). Problems go to standard error.

``communitylab report PATH --out report.html``
    Write a standalone offline HTML health report (see :mod:`communitylab.data.report`).

Bad input (unknown format, unreadable encoding, empty, truncated or oversized file,
missing path, or a file of which not one record can be used, e.g. with the wrong
``--format``) prints a clear message to standard error and exits with code 2, without
a traceback. The summary is still printed when records were read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["import_main", "report_main", "import_summary"]

FORMAT_CHOICES = ("auto", "wechat", "telegram", "discord", "whatsapp", "slack")
#: Problems listed one by one in the readable summary and the report.
DEFAULT_SHOWN_PROBLEMS = 10
EXIT_BAD_INPUT = 2


def import_summary(messages, report) -> dict[str, object]:
    """The ``--summary-json`` object of an import (see the module docstring for each key)."""
    from communitylab.data.schema import EVENT_KINDS

    is_event = messages["kind"].isin(EVENT_KINDS).to_numpy()
    posts = messages[~is_event]
    span = posts if len(posts) else messages
    reply_to = posts["reply_to"].notna()
    in_thread = posts["thread"].notna() & (posts["thread"].astype(object) != posts["message_id"].astype(object))
    stamps = span["timestamp"]
    return {
        "format": report.format,
        "messages": len(posts),
        "system_events": int(is_event.sum()),
        "authors": int(posts["author_id"].dropna().nunique()),
        "first": stamps.min().isoformat() if len(stamps) else None,
        "last": stamps.max().isoformat() if len(stamps) else None,
        "replies": int((reply_to | in_thread.fillna(False)).sum()),
        "read": int(report.read),
        "kept": int(report.kept),
        "dropped": int(report.dropped),
    }


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="the export: a file, a folder or a .zip")
    parser.add_argument(
        "--format", default="auto", choices=FORMAT_CHOICES, help="source format (default: detect it from the file)"
    )
    parser.add_argument(
        "--tz",
        default=None,
        metavar="ZONE",
        help="IANA time zone for local times without offset, e.g. Asia/Shanghai (default: per source)",
    )
    parser.add_argument(
        "--max-mb",
        type=float,
        default=None,
        metavar="MB",
        help="refuse exports larger than this (default: the importers' limit, 2048 MB)",
    )
    parser.add_argument(
        "--no-pseudonyms", action="store_true", help="keep real names and ids (opt-out; only for your own data)"
    )


def _read(args: argparse.Namespace, prog: str):
    """Import ``args.path``; on bad input print a message and return ``None``."""
    from communitylab.data.importers import ChatImportError, read_chat

    path = Path(args.path)
    if not path.exists():
        print(f"{prog}: error: {path.name or path} does not exist.", file=sys.stderr)
        return None
    options = {"tz": args.tz, "pseudonymise": not args.no_pseudonyms}
    if args.max_mb is not None:
        options["max_bytes"] = int(args.max_mb * 1024 * 1024)
    try:
        return read_chat(path, args.format, **options)
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


def import_main(argv: Sequence[str] | None = None) -> int:
    """``communitylab import``: summarise a chat export; exit 0, or 2 on bad input."""
    parser = argparse.ArgumentParser(prog="communitylab import", description="Import a chat export and summarise it.")
    _add_common(parser)
    parser.add_argument("--summary-json", action="store_true", help="print one JSON object (keys: see the docs)")
    parser.add_argument(
        "--problems",
        type=int,
        default=DEFAULT_SHOWN_PROBLEMS,
        metavar="N",
        help=f"list the first N problems (default {DEFAULT_SHOWN_PROBLEMS})",
    )
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    imported = _read(args, parser.prog)
    if imported is None:
        return EXIT_BAD_INPUT
    messages, report = imported
    summary = import_summary(messages, report)
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
    _print_problems(report, args.problems)
    return _nothing_usable(report, args, parser.prog)


def _nothing_usable(report, args: argparse.Namespace, prog: str) -> int:
    """Exit code 2, with a hint, when records were read but not one could be used."""
    if report.read and not report.kept:
        hint = " Is --format right?" if args.format != "auto" else ""
        print(
            f"{prog}: error: none of the {report.read:,} records of {Path(args.path).name} could be used "
            f"as a {report.format} export.{hint}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    return 0


def report_main(argv: Sequence[str] | None = None) -> int:
    """``communitylab report``: write an offline HTML health report; exit 0, or 2 on bad input."""
    parser = argparse.ArgumentParser(
        prog="communitylab report", description="Write a standalone, offline HTML health report of a chat export."
    )
    _add_common(parser)
    parser.add_argument("--out", required=True, metavar="FILE", help="the HTML file to write")
    parser.add_argument("--lang", default=None, choices=("en", "zh", "zh_CN"), help="language of the report")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    imported = _read(args, parser.prog)
    if imported is None:
        return EXIT_BAD_INPUT
    messages, report = imported
    if _nothing_usable(report, args, parser.prog):
        _print_problems(report, DEFAULT_SHOWN_PROBLEMS)
        return EXIT_BAD_INPUT
    from communitylab.data.report import render_report
    from communitylab.i18n import normalize_lang

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
        print(f"{parser.prog}: error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"wrote {out} ({len(page.encode('utf-8')) / 1024:.0f} KB)")
    _print_problems(report, DEFAULT_SHOWN_PROBLEMS)
    return 0
