"""``communitylab capstone submit | leaderboard | levers``: the capstone competition from the command line.

* ``submit --room DIR --team NAME --set lever=value ...``: one plan, through the same validation as the
  plan panel (nothing is written on an error, exit code 2);
* ``leaderboard --room DIR [--json] [--seeds N]``: every team's latest plan scored and ranked;
* ``levers``: the levers with their ranges, lessons and costs.
"""

from __future__ import annotations

import argparse
import json
import sys

from communitylab.cli import EXIT_USAGE
from communitylab.i18n import t

__all__ = ["run"]


def _settings(pairs: list[str]) -> dict[str, str]:
    from communitylab.capstone.plan import PlanError

    settings = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name.strip():
            raise PlanError(t("capstone.error.set", None, pair=pair))
        settings[name.strip()] = text.strip()
    return settings


def _submit(args: argparse.Namespace) -> int:
    from communitylab.capstone import plan, room

    try:
        team = room.check_team(args.team)
        params = plan.make_plan(_settings(args.settings))
    except plan.PlanError as error:
        print(f"communitylab capstone submit: {error}", file=sys.stderr)
        return EXIT_USAGE
    path = room.submit(args.room, team, params)
    print(t("capstone.cli.submitted", None, team=team, path=path))
    return 0


def _leaderboard(args: argparse.Namespace) -> int:
    from communitylab.capstone import room, scoring

    if args.seeds < 1:
        print("communitylab capstone leaderboard: --seeds must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    folder = args.room if args.room is not None else room.default_room()
    submissions, warnings = room.load(folder)
    for warning in warnings:
        print(warning, file=sys.stderr)
    rows = scoring.leaderboard(submissions, seeds=args.seeds)
    if args.json:
        print(
            json.dumps(
                {"room": str(folder), "seeds": args.seeds, "rows": [r.to_dict() for r in rows]},
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    if not rows:
        print(t("capstone.cli.no_submissions", None, room=folder))
        return 0
    header = (
        t("capstone.cli.rank"),
        t("capstone.cli.team"),
        t("capstone.cli.score"),
        t("capstone.cli.band"),
        t("capstone.cli.weakest"),
    )
    print(" | ".join(header))
    for row in rows:
        weakest = t(f"community.chart.pillar.{row.score.weakest}")
        print(
            f"{row.rank:>3} | {row.team} | {row.score.mean:.1f} | {row.score.p10:.1f}-{row.score.p90:.1f} | {weakest}"
        )
    return 0


def _levers(args: argparse.Namespace) -> int:
    from communitylab.capstone import plan

    print(t("capstone.cli.levers_header"))
    defaults = plan.make_plan({})
    for lever in plan.LEVERS:
        hours, yuan = plan.COSTS.get(lever.name, (lambda p: 0.0, lambda p: 0.0))
        # cost of the lever at its range ends, with everything else at the default plan
        low = defaults.replace(
            **{
                lever.name: lever.lo if lever.kind != "flag" else False,
                "app": True if lever.name in ("mini_program", "campaign_every_days") else defaults.app,
            }
        )
        high = low.replace(**{lever.name: lever.hi if lever.kind != "flag" else True})
        span = f"[{lever.lo:g}, {lever.hi:g}] {lever.unit}".rstrip() if lever.kind != "flag" else "on/off"
        cost = f"{hours(low):.1f}-{hours(high):.1f} h/week, ¥{yuan(low):,.0f}-{yuan(high):,.0f}/month"
        print(f"{lever.lesson}  {lever.group:13s} {lever.name:20s} default {lever.default!s:>7}  {span:32s} {cost}")
    print(t("capstone.cli.budget_line", None, hours=plan.HOURS_PER_WEEK, yuan=plan.YUAN_PER_MONTH))
    return 0


def run(args: argparse.Namespace) -> int:
    """Run one ``capstone`` sub-command; returns the exit code."""
    from communitylab import i18n

    before = i18n.get_lang()
    if args.language:
        i18n.set_lang(args.language)
    try:
        return {"submit": _submit, "leaderboard": _leaderboard, "levers": _levers}[args.action](args)
    finally:
        i18n.set_lang(before)
