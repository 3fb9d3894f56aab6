"""Exercises of module 03: participation design and the death spiral (model ``participation``).

Texts are in the catalogs ``ex03.toml``; expected values come from
:mod:`communitylab.models.participation` itself.
"""

from __future__ import annotations

import numpy as np

from communitylab.exercises.declare import plan_exercise
from communitylab.exercises.problem import Exercise, Function, Goal, Known, Value
from communitylab.exercises.view import bind

SETUP = "import numpy as np\nfrom communitylab.models import participation"

SEEDS = (0, 1, 2, 3, 4)


def _posts(members: int, seed: int) -> np.ndarray:
    """Made-up post counts: a few heavy posters, many lurkers (as in the model)."""
    rng = np.random.default_rng(seed)
    return np.floor(rng.lognormal(mean=-1.0, sigma=2.5, size=members)).astype(int)


def _top_share(posts):
    counts = np.sort(np.asarray(posts))[::-1]
    return counts[: len(counts) // 100].sum() / counts.sum()


def _quiet_runs(**changes) -> int:
    from communitylab.models import participation

    return sum(participation.simulate(participation.Params(**changes), seed=s).quiet_day is not None for s in SEEDS)


def _rp_quiet_days() -> list:
    from communitylab.models import participation

    return [participation.simulate(participation.Params(red_packets=True), seed=s).quiet_day for s in SEEDS]


def _baseline_quiet_days() -> list:
    from communitylab.models import participation

    return [participation.simulate(participation.Params(), seed=s).quiet_day for s in SEEDS]


def _engaged_pct_day(day: int):
    def measure(result) -> float:
        return 100.0 * result.engaged[day] / result.params.members

    return measure


def _engaged_pct_last(result) -> float:
    return 100.0 * result.engaged[-1] / result.params.members


def _moderators(result) -> float:
    return float(result.params.moderators)


#: The day a rescue can begin: the group has been sliding for six weeks (see ex03.q5).
RESCUE_DAY = 45

INTERVENTIONS = ("checkin", "checkin_share", "moderators", "event_every_days")

EXERCISES = (
    Exercise(
        id="m03.q1",
        name="superuser_content_share",
        check=Value(0.747, abs_tol=0.01),
        solution="superuser_content_share = 0.747",
        known_wrong=(
            Known("head_count", answer=0.01, tolerance=0.001),
            Known("lurker_head_count", answer=0.90),
            Known("lurker_content", answer=0.013, tolerance=0.001),
            Known("percent", answer=74.7),
        ),
    ),
    Exercise(
        id="m03.q2",
        name="top_share",
        check=Function(
            _top_share, cases=tuple((_posts(n, seed),) for n, seed in ((100, 1), (500, 2), (1000, 3), (2000, 4)))
        ),
        solution=(
            "def top_share(posts):\n"
            "    counts = np.sort(np.asarray(posts))[::-1]   # most posts first\n"
            "    return counts[: len(counts) // 100].sum() / counts.sum()"
        ),
        known_wrong=(
            Known(
                "bottom",
                answer=lambda p: np.sort(np.asarray(p))[: len(p) // 100].sum() / np.sum(p),
            ),
            Known("head_count", answer=lambda p: 0.01),
            Known(
                "raw_posts",
                answer=lambda p: np.sort(np.asarray(p))[::-1][: len(p) // 100].sum(),
            ),
        ),
    ),
    Exercise(
        id="m03.q3",
        name="quiet_runs",
        check=Value(lambda: _quiet_runs(), abs_tol=0.0),
        starter=(
            "runs = [participation.simulate(participation.Params(), seed=s) for s in range(5)]\nquiet_runs = ____"
        ),
        solution=(
            "runs = [participation.simulate(participation.Params(), seed=s) for s in range(5)]\n"
            "quiet_runs = sum(run.quiet_day is not None for run in runs)"
        ),
        known_wrong=(
            Known("survivors", answer=lambda: 5 - _quiet_runs()),
            Known("all", answer=5),
        ),
    ),
    Exercise(
        id="m03.q4",
        name="red_packet_quiet_days",
        check=Value(_rp_quiet_days),
        starter=(
            "paid = participation.Params(red_packets=True)   # red packets on days 0-27\nred_packet_quiet_days = ____"
        ),
        solution=(
            "paid = participation.Params(red_packets=True)   # red packets on days 0-27\n"
            "red_packet_quiet_days = [participation.simulate(paid, seed=s).quiet_day for s in range(5)]"
        ),
        known_wrong=(
            Known("baseline", answer=_baseline_quiet_days),
            Known(
                "one_seed",
                when=lambda answer: isinstance(answer, (int, float)) and not isinstance(answer, bool),
                example=28,
            ),
        ),
    ),
    plan_exercise(
        "m03.q5",
        "rescue_plan",
        "participation",
        {"checkin_share": 0.6, "moderators": 2, "event_every_days": 7},
        scenario={"checkin": True, "checkin_start": RESCUE_DAY},
        seeds=SEEDS,
        goals=(
            Goal("engaged_day120", _engaged_pct_day(120), at_least=50.0, unit="%", digits=1),
            Goal("moderators", _moderators, at_most=2.0, unit="people", digits=0),
        ),
        wrong=(
            ("over_budget", lambda plan: plan["moderators"] > 2, {"moderators": 3}),
            (
                "late_ritual_alone",
                lambda plan: plan["moderators"] == 0 and plan["event_every_days"] == 0,
                {"checkin_share": 1.0},
            ),
            (
                "rare_events",
                lambda plan: plan["moderators"] == 0 and plan["event_every_days"] >= 7,
                {"checkin_share": 0.8, "event_every_days": 7},
            ),
        ),
    ),
    plan_exercise(
        "m03.q6",
        "small_group_plan",
        "participation",
        {"checkin": True, "checkin_share": 0.6, "moderators": 3, "event_every_days": 0},
        choose=INTERVENTIONS,
        scenario={"members": 200},
        seeds=SEEDS,
        goals=(
            Goal("engaged_last", _engaged_pct_last, at_least=40.0, unit="%", digits=1),
            Goal("moderators", _moderators, at_most=5.0, unit="people", digits=0),
        ),
        wrong=(
            ("ritual_only", lambda plan: bool(plan.get("checkin")) and plan["moderators"] == 0, {"checkin": True}),
            ("over_budget", lambda plan: plan["moderators"] > 5, {"moderators": 15}),
            ("roles_only", lambda plan: not plan.get("checkin") and plan["moderators"] > 0, {"moderators": 5}),
        ),
    ),
)

q1, q2, q3, q4, q5, q6 = bind(EXERCISES)
