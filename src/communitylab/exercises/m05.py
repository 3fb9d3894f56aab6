"""Exercises of module 05: personal brand, filling a group through a QR code (model ``brand``).

Texts are in the catalogs ``ex05.toml``; expected values come from the
Galton-Watson branching process the model implements, and from
:mod:`communitylab.models.brand` itself.
"""

from __future__ import annotations

import math

from communitylab.exercises.declare import plan_exercise, wrong_answers
from communitylab.exercises.problem import Exercise, Function, Goal, Known, Value
from communitylab.exercises.view import bind
from communitylab.models.brand import Params
from communitylab.models.brand.years import OPERATOR

SETUP = "import math\nfrom communitylab.models import brand"

#: The influencer of the design note: 200k followers, 5 % see the post, 10 % of them scan, views come within half an hour.
INFLUENCER = {"followers": 200_000, "reach": 0.05, "join_rate": 0.1, "view_timescale_h": 0.5}
#: Monte Carlo runs per check: the model's own default is 1000; 100 keeps a check within
#: 0.1 s, and the goals below sit well clear of the run-to-run noise at that size.
CHECK_RUNS = 100
#: Exercise 5's launch: lesson 05's operator as of 2016 (the crowding of that year is in its reach and view time).
CROWDED = {name: getattr(OPERATOR, name) for name in ("followers", "reach", "join_rate", "view_timescale_h")}
#: Exercise 5's goal [course choice]: the scan limit within an hour in 9 launches out of 10 (the author's code took
#: 27 minutes in 2014 and about 15 hours, when it got there at all, in 2016).
WITHIN_HOURS = 1.0


def _direct(plan) -> float:
    """Expected direct scanners of a launch: followers x share who see it x share who scan (people)."""
    return plan["followers"] * plan["reach"] * plan["join_rate"]


def _reproduction_number(forward_share, forward_audience, second_reach, second_join):
    return forward_share * forward_audience * second_reach * second_join


EXERCISES = (
    Exercise(
        id="m05.q1",
        name="reproduction_number",
        check=Function(
            _reproduction_number,
            cases=((0.2, 150, 0.1, 0.1), (0.8, 150, 0.1, 0.1), (0.5, 40, 0.3, 0.05), (1.0, 1, 1.0, 1.0)),
        ),
        solution=(
            "def reproduction_number(forward_share, forward_audience, second_reach, second_join):\n"
            "    return forward_share * forward_audience * second_reach * second_join"
        ),
        known_wrong=(
            Known("sum", answer=lambda f, k, r, j: f + k + r + j),
            Known("no_forward_share", answer=lambda f, k, r, j: k * r * j),
            Known("no_second_join", answer=lambda f, k, r, j: f * k * r),
        ),
    ),
    Exercise(
        id="m05.q2",
        name="stays_alone",
        check=Value(math.exp(-0.3), abs_tol=0.005),
        solution="stays_alone = math.exp(-0.3)   # Poisson(0.3) gives 0 with probability e^-0.3",
        known_wrong=(
            Known("is_r", answer=0.3),
            Known("linear", answer=0.7),  # 1 - R is 0.04 below e^-R, far outside the check's 0.005
        ),
    ),
    Exercise(
        id="m05.q3",
        name="mean_cascade_size",
        check=Value(1 / (1 - 0.8), rel_tol=0.01),
        solution="R = 0.8\nmean_cascade_size = 1 / (1 - R)   # 1 + R + R**2 + ...",
        known_wrong=(
            Known("one_generation", answer=1.8, tolerance=0.01),
            Known("no_seed", answer=4.0, tolerance=0.01),
        ),
    ),
    Exercise(
        id="m05.q4",
        name="influencer_finding",
        check=Value("b"),
        starter=(
            "influencer = brand.Params(followers=200_000, reach=0.05, join_rate=0.1, view_timescale_h=0.5, runs=200)\n"
            "with_forwards = brand.simulate(influencer).summary()\n"
            "without_forwards = brand.simulate(influencer.replace(forward_share=0)).summary()\n"
            'influencer_finding = ____   # "a", "b" or "c"'
        ),
        solution=(
            "influencer = brand.Params(followers=200_000, reach=0.05, join_rate=0.1, view_timescale_h=0.5, runs=200)\n"
            "with_forwards = brand.simulate(influencer).summary()\n"
            "without_forwards = brand.simulate(influencer.replace(forward_share=0)).summary()\n"
            'influencer_finding = "b"   # same scan-cap time with or without forwards; the last 300 seats take hours'
        ),
        known_wrong=wrong_answers(forwarding="a", never="c"),
    ),
    plan_exercise(
        "m05.q5",
        "crowded_launch",
        "brand",
        {"followers": 20_000, "reach": 0.1, "join_rate": 0.3},
        scenario={**CROWDED, "runs": CHECK_RUNS},
        seeds=(0, 1, 2),
        goals=(
            Goal("reach_cap", "reach_scan_cap_pct", at_least=95.0, unit="%", digits=1),
            Goal("p90_hours", "scan_cap_p90_h", at_most=WITHIN_HOURS, unit="hours", digits=2),
        ),
        wrong=(
            ("same_wave", lambda plan: _direct(plan) <= _direct(CROWDED), {"join_rate": 0.3}),
            ("below_cap", lambda plan: _direct(plan) < Params().scan_cap, {"reach": 0.1}),
            ("slow_wave", lambda plan: _direct(plan) >= Params().scan_cap, {"reach": 0.15}),
        ),
    ),
)

q1, q2, q3, q4, q5 = bind(EXERCISES)
