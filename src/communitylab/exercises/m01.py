"""Exercises of module 01: value positioning and attention share (model ``attention``).

Texts are in the catalogs ``ex01.toml``; the numbers the checks compare with are
computed from :mod:`communitylab.models.attention` itself, so they follow the model.
"""

from __future__ import annotations

import numpy as np

from communitylab.exercises.declare import comparison_exercise, plan_exercise
from communitylab.exercises.problem import Exercise, Frame, Function, Goal, Known, Value
from communitylab.exercises.view import bind

#: Lines the notebook's setup cell runs after importing the exercises.
SETUP = "from communitylab.models import attention"

WIDTHS = (0.03, 0.10, 0.25, 0.50)


def _iia_free_ratio() -> float:
    from communitylab.models import attention

    share = attention.share_vs_groups(attention.Params(), [100, 200], muting=False)
    return float(share[1] / share[0])


def _niche_table():
    from communitylab.models import attention

    return attention.sweep(attention.Params(), "niche_width", list(WIDTHS))[["niche_width", "read_share_pct"]]


def _fair_share(groups):
    return 1 / (groups + 1)


EXERCISES = (
    Exercise(
        id="m01.q1",
        name="iia_ratio",
        check=Value(0.5, abs_tol=0.05),
        solution=(
            "shares = attention.share_vs_groups(attention.Params(), [100, 200], muting=False)\n"
            "iia_ratio = shares[1] / shares[0]   # about 0.5"
        ),
        known_wrong=(
            Known("grows", answer=2.0),
            Known("unchanged", answer=1.0),
            Known("squared", answer=0.25),
        ),
    ),
    Exercise(
        id="m01.q2",
        name="fair_share",
        check=Function(_fair_share, cases=((1,), (4,), (49,), (231,), (np.array([9.0, 99.0]),))),
        solution="def fair_share(groups):\n    return 1 / (groups + 1)",
        known_wrong=(
            Known("forgot_own_group", answer=lambda groups: 1 / groups),
            Known("others_share", answer=lambda groups: groups / (groups + 1)),
            Known("percent", answer=lambda groups: 100 / (groups + 1)),
        ),
    ),
    Exercise(
        id="m01.q3",
        name="niche_table",
        check=Frame(_niche_table, columns=("niche_width", "read_share_pct"), sort_by="niche_width", rel_tol=1e-3),
        starter="widths = [0.03, 0.10, 0.25, 0.50]\nniche_table = ____",
        solution=(
            "widths = [0.03, 0.10, 0.25, 0.50]\n"
            'niche_table = attention.sweep(attention.Params(), "niche_width", widths)[["niche_width", "read_share_pct"]]\n'
            "niche_table"
        ),
        known_wrong=(
            Known(
                "mute_column",
                when=lambda frame: (
                    hasattr(frame, "columns") and "muted_pct" in frame.columns and "read_share_pct" not in frame.columns
                ),
                example=lambda: _niche_table().rename(columns={"read_share_pct": "muted_pct"}),
            ),
            Known(
                "one_row",
                when=lambda frame: hasattr(frame, "columns") and len(frame) == 1,
                example=lambda: _niche_table().iloc[1:2],
            ),
        ),
        hints=3,
    ),
    comparison_exercise(
        "m01.q4",
        "reads_ratio",
        "attention",
        "reads_per_member",
        runs={"few": {"posts_per_day": 20}, "many": {"posts_per_day": 200}},
        answer=("many", "/", "few"),
        known_wrong=(Known("proportional", answer=10.0), Known("share_not_reads", answer=0.1)),
        rel_tol=0.02,
    ),
    plan_exercise(
        "m01.q5",
        "focus_plan",
        "attention",
        {"niche_width": 0.10, "posts_per_day": 3},
        goals=(
            Goal("read_share", "read_share_pct", at_least=0.75, unit="%", digits=2),
            Goal("muted", "muted_pct", at_most=70.0, unit="%", digits=1),
        ),
        wrong=(
            ("post_more", lambda plan: plan["posts_per_day"] >= 20, {"posts_per_day": 40}),
            ("too_sharp", lambda plan: plan["niche_width"] < 0.08, {"niche_width": 0.03, "posts_per_day": 3}),
            ("too_broad", lambda plan: plan["niche_width"] > 0.15, {"niche_width": 0.30, "posts_per_day": 3}),
        ),
    ),
    plan_exercise(
        "m01.q6",
        "inflation_plan",
        "attention",
        {"niche_width": 0.05, "posts_per_day": 5},
        scenario={"groups_per_day": 1.0},
        goals=(Goal("reads", "reads_per_member", at_least=0.55, unit="msgs/day", digits=2),),
        wrong=(
            ("too_few_posts", lambda plan: plan["posts_per_day"] <= 1, {"niche_width": 0.05, "posts_per_day": 1}),
            ("post_more", lambda plan: plan["posts_per_day"] >= 20, {"niche_width": 0.05, "posts_per_day": 30}),
        ),
    ),
)

q1, q2, q3, q4, q5, q6 = bind(EXERCISES)
