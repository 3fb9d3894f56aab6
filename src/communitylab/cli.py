"""The ``communitylab`` command: simulate models, import chats, report, track progress, serve the course.

Each sub-command lives next to the code it drives; this module only parses the
first word and hands the remaining arguments over, so a learner's machine that
never imports chats never imports pandas for it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: sub-command -> "module:function" taking the remaining argv and returning an exit code.
COMMANDS: dict[str, tuple[str, str]] = {
    "simulate": ("communitylab.models.cli:main", "run a model and print its summary"),
    "import": ("communitylab.data.cli:import_main", "import a chat export and summarise it"),
    "report": ("communitylab.data.cli:report_main", "write an offline HTML health report of a chat export"),
    "progress": ("communitylab.exercises.progress_cli:main", "show exercise progress (yours, or a room's)"),
    "present": ("communitylab.serve:present_main", "serve the course in Voila on 127.0.0.1"),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``communitylab`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="communitylab",
        description="Community Lab: simulations and data tools of the community-operations course.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        commands.add_parser(name, help=help_text, add_help=False)
    if not argv or argv[0] not in COMMANDS:
        parser.print_help(sys.stderr if argv else sys.stdout)
        if argv and not argv[0].startswith("-"):
            print(f"\ncommunitylab: unknown command {argv[0]!r}", file=sys.stderr)
            return 2
        return 0 if not argv or argv[0] in ("-h", "--help") else 2
    target, _ = COMMANDS[argv[0]]
    module_name, function_name = target.split(":")
    handler = getattr(importlib.import_module(module_name), function_name)
    return int(handler(argv[1:]) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
