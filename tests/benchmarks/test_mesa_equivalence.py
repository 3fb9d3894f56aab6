"""The numpy participation kernel and the Mesa 3 agent-based model agree in distribution.

Both implement Model 3 of the design note; the agents live single stochastic histories
(Poisson posts each day, coin flips for leaving and checking in) while the kernel carries
expected values. Same member seed = same people, so the comparison isolates the
day-to-day chance that the mean field averages away. Small size (300 members x 120 days,
5 member seeds x 8 histories) keeps this to about a second.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

pytest.importorskip("mesa", reason="mesa is not installed: it is the optional 'bench' extra (pip install -e .[bench])")

from communitylab.models.participation import Params

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load_abm():
    spec = importlib.util.spec_from_file_location("mesa_participation", BENCHMARKS / "mesa_participation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mesa_participation", module)
    spec.loader.exec_module(module)
    return module


abm = _load_abm()
SEEDS = range(5)
REPLICAS = 8
SMALL = Params(members=300, days=120)


@pytest.fixture(scope="module")
def baseline():
    return abm.compare_with_kernel(SMALL, SEEDS, REPLICAS)


@pytest.fixture(scope="module")
def checkin():
    return abm.compare_with_kernel(SMALL.replace(checkin=True), SEEDS, REPLICAS)


def test_agents_are_the_kernels_members():
    """Same seed, same people: the agents' rates and thresholds are the kernel's."""
    from communitylab.models.participation import simulate

    model = abm.ParticipationModel(SMALL, seed=4)
    result = simulate(SMALL, seed=4)
    assert [a.rate for a in model.agents] == result.member_rate.tolist()
    assert [a.threshold for a in model.agents] == result.member_threshold.tolist()


@pytest.mark.parametrize("scenario", ["baseline", "checkin"])
def test_mean_activity_agrees_seed_by_seed(scenario, request):
    """Mean posts/day over the run: the agents' average over 8 histories is within 6 % of the kernel."""
    for row in request.getfixturevalue(scenario)["per_seed"]:
        assert row["abm_mean_posts_per_day"] == pytest.approx(row["kernel_mean_posts_per_day"], rel=0.06, abs=0.5)


@pytest.mark.parametrize("scenario", ["baseline", "checkin"])
def test_who_ever_posts_agrees(scenario, request):
    """Share of members who ever posted: within 2 percentage points over seeds and histories."""
    figure = request.getfixturevalue(scenario)["figures"]["ever_posted_pct"]
    assert abs(figure["abm"] - figure["kernel"]) <= 2.0


def test_engaged_on_last_day_agrees_when_the_group_lives(checkin):
    """Engaged members on the last day with a check-in ritual: within 3 %."""
    figure = checkin["figures"]["engaged_last_day"]
    assert figure["abm"] == pytest.approx(figure["kernel"], rel=0.03)
    assert checkin["figures"]["went_quiet"] == {"kernel": 0.0, "abm": 0.0}


def test_quiet_day_agrees_where_the_kernel_goes_quiet(baseline):
    """Where the kernel's group goes quiet, its day lies within the agents' range (+-2 days) and
    the agents' median is within 3 days.

    Where the kernel's posts hover just above the 10 % line, a noisy history can dip below it
    while the expected value never does (a first-passage effect, not a different model), so
    the agents may go quiet in runs the kernel survives; we check that only one direction.
    """
    went_quiet = 0
    for row in baseline["per_seed"]:
        if math.isnan(row["kernel_quiet_day"]):
            continue
        went_quiet += 1
        agents = row["abm_quiet_days"]
        assert not any(math.isnan(day) for day in agents), row
        assert min(agents) - 2 <= row["kernel_quiet_day"] <= max(agents) + 2, row
        assert abs(sorted(agents)[len(agents) // 2] - row["kernel_quiet_day"]) <= 3, row
    assert went_quiet >= 3  # the comparison must actually have happened
