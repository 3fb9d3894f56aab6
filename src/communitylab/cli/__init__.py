"""The ``communitylab`` command: every sub-command and its options, in one table of contents.

==============  =====================================================================
``simulate``    run a model and print its summary (:mod:`communitylab.cli.simulate`)
``import``      import a chat export and summarise it (:mod:`communitylab.cli.chats`)
``report``      write an offline HTML health report of a chat export (same module)
``progress``    a learner's exercise progress, or a room's (:mod:`communitylab.cli.progress`)
``present``     serve the course in Voila (:mod:`communitylab.cli.present`)
``hub``         run JupyterHub for a room of learners in JupyterLab (:mod:`communitylab.cli.hub`)
``capstone``    submit a capstone plan, rank a room's plans, list the levers (:mod:`communitylab.cli.capstone`)
==============  =====================================================================

This module only declares the options; each handler lives in the module named
above and is imported when its command runs, so ``communitylab simulate`` never
imports pandas and ``communitylab progress`` never imports Voila.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "build_parser", "EXIT_USAGE"]

#: Exit code of a usage error or of bad input, as argparse uses.
EXIT_USAGE = 2
#: Chat-export formats the importers know (``auto`` detects).
CHAT_FORMATS = ("auto", "wechat", "telegram", "discord", "whatsapp", "slack")


def _command(commands, name: str, handler: str, help_text: str, description: str | None = None):
    """Add a sub-command whose handler is ``"module:function"``, imported when it runs."""
    parser = commands.add_parser(name, help=help_text, description=description or help_text[:1].upper() + help_text[1:])
    parser.set_defaults(handler=handler)
    return parser


def _simulate(commands) -> None:
    parser = _command(commands, "simulate", "communitylab.cli.simulate:run", "run a model and print its summary")
    from communitylab.models import MODELS  # a plain table of names; no model is imported

    parser.add_argument("model", help=f"one of: {', '.join(MODELS)}")
    parser.add_argument(
        "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE", help="change a parameter"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--list", action="store_true", help="list the model's parameters with units and ranges")


def _chat_source(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``import`` and ``report``: which export, how to read it."""
    parser.add_argument("path", metavar="PATH", help="the export: a file, a folder or a .zip")
    parser.add_argument(
        "--format", default="auto", choices=CHAT_FORMATS, help="source format (default: detect it from the file)"
    )
    parser.add_argument(
        "--tz", metavar="ZONE", help="IANA time zone for local times without offset, e.g. Asia/Shanghai"
    )
    parser.add_argument(
        "--max-mb", type=float, metavar="MB", help="refuse exports larger than this (default: the importers' limit)"
    )
    parser.add_argument(
        "--no-pseudonyms", action="store_true", help="keep real names and ids (opt-out; only for your own data)"
    )


def _chats(commands) -> None:
    parser = _command(commands, "import", "communitylab.cli.chats:run_import", "import a chat export and summarise it")
    _chat_source(parser)
    parser.add_argument("--summary-json", action="store_true", help="print one JSON object (keys: see the docs)")
    parser.add_argument("--problems", type=int, default=10, metavar="N", help="list the first N problems (default 10)")
    parser = _command(
        commands, "report", "communitylab.cli.chats:run_report", "write an offline HTML health report of a chat export"
    )
    _chat_source(parser)
    parser.add_argument("--out", required=True, metavar="FILE", help="the HTML file to write")
    parser.add_argument("--lang", choices=("en", "zh", "zh_CN"), help="language of the report")


def _progress(commands) -> None:
    parser = _command(
        commands, "progress", "communitylab.cli.progress:run", "show exercise progress (yours, or a room's)"
    )
    parser.add_argument("--room", type=Path, metavar="DIR", help="summarise every progress file (*.jsonl) under DIR")
    parser.add_argument("--chart", type=Path, metavar="OUT", help="with --room: also write a chart (.html or .svg)")
    parser.add_argument("--file", type=Path, metavar="PATH", help="a learner's progress file (default: yours)")
    parser.add_argument("--lang", help="language of the report (en, zh)")


def _present(commands) -> None:
    parser = _command(
        commands,
        "present",
        "communitylab.cli.present:run",
        "serve the course in Voila (one laptop, or a room with --room)",
    )
    parser.add_argument("--root", default=".", help="course folder holding notebooks/ and exercises/ (default .)")
    parser.add_argument("--port", type=int, default=8866, help="TCP port (default 8866)")
    parser.add_argument(
        "--lang",
        choices=["en", "zh_CN", "all", "none"],
        default="en",
        help="which lessons get preheated kernels (default en)",
    )
    parser.add_argument("--room", type=int, default=0, metavar="N", help="size kernel pools for N learners at once")
    parser.add_argument("--lessons", metavar="01,03", help="with --room: the lessons of the day (default: all)")
    parser.add_argument(
        "--max-kernels", type=int, metavar="K", help="most kernels alive at once (default: from --room)"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind: 127.0.0.1 (default, this machine only) or 0.0.0.0 for a room (needs a token)",
    )
    parser.add_argument("--token", help="access token for --host beyond loopback (default: a new random one)")
    parser.add_argument(
        "--allow-host", action="append", default=[], metavar="NAME", help="another Host name learners may use"
    )
    parser.add_argument(
        "--extra-folder",
        action="append",
        default=[],
        metavar="NAME",
        help="another folder of the course root to serve notebooks from (besides notebooks/ and exercises/)",
    )
    parser.add_argument(
        "--preheat",
        action="append",
        default=[],
        metavar="NOTEBOOK",
        help="also keep preheated kernels for this notebook (a path under the course root, e.g. in an extra folder)",
    )
    parser.add_argument(
        "--cull-after",
        type=float,
        default=60,
        metavar="S",
        help="shut a kernel down S seconds after its page closed or lost its connection (default 60)",
    )
    parser.add_argument(
        "--cell-timeout", type=float, default=120, metavar="S", help="longest a cell may run for a page (default 120)"
    )


def _hub(commands) -> None:
    parser = _command(
        commands, "hub", "communitylab.cli.hub:run", "run JupyterHub for a room of learners in JupyterLab"
    )
    parser.add_argument("--root", default=".", help="course folder holding deploy/, notebooks/ and exercises/")
    parser.add_argument("--ip", default="127.0.0.1", help="address learners connect to (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port learners connect to (default 8000)")
    parser.add_argument("--hub-port", type=int, default=8081, help="the hub's own port on 127.0.0.1 (default 8081)")
    parser.add_argument("--proxy-api-port", type=int, default=8001, help="the proxy's API port (default 8001)")
    parser.add_argument("--state", metavar="DIR", help="the workshop's state: homes, database (default ROOT/.hub)")
    parser.add_argument("--room", metavar="DIR", help="where every learner's progress lands (default STATE/room)")
    parser.add_argument("--password", help="the room password, 8+ characters (default: generated once and kept)")
    parser.add_argument(
        "--cull-timeout", type=int, default=1800, metavar="S", help="stop servers idle this long (default 1800 s)"
    )
    parser.add_argument("--lang", choices=["en", "zh"], default="en", help="lessons opened first (default en)")


def _capstone(commands) -> None:
    parser = _command(
        commands, "capstone", "communitylab.cli.capstone:run", "the capstone competition: submit plans, rank them"
    )
    parser.add_argument("--lang", dest="language", choices=("en", "zh", "zh_CN"), help="language of the messages")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    submit = actions.add_parser("submit", help="submit a team's plan (validated like the plan panel)")
    submit.add_argument(
        "--room", type=Path, metavar="DIR", help="the room folder (default: $COMMUNITYLAB_ROOM or yours)"
    )
    submit.add_argument("--team", required=True, help="team name")
    submit.add_argument(
        "--set", dest="settings", action="append", default=[], metavar="LEVER=VALUE", help="a lever of the plan"
    )
    board = actions.add_parser("leaderboard", help="score and rank every team's latest plan")
    board.add_argument(
        "--room", type=Path, metavar="DIR", help="the room folder (default: $COMMUNITYLAB_ROOM or yours)"
    )
    board.add_argument("--json", action="store_true", help="print the table as JSON")
    board.add_argument("--seeds", type=int, default=20, metavar="N", help="seeds per plan (default 20)")
    actions.add_parser("levers", help="list the levers with ranges and costs")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: one sub-parser per command, in the order of the table above."""
    parser = argparse.ArgumentParser(
        prog="communitylab",
        description="Community Lab: simulations and data tools of the community-operations course.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for declare in (_simulate, _chats, _progress, _present, _hub, _capstone):
        declare(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``communitylab`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        parser.print_help()
        return 0
    module_name, function_name = args.handler.split(":")
    handler = getattr(importlib.import_module(module_name), function_name)
    return int(handler(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
