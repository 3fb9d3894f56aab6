"""Scoring plans for the leaderboard: each plan over many seeds, ranked by its mean health score.

A plan's score is the mean of the health score (:func:`communitylab.models.community.health_score`)
over the seeds ``0 .. seeds-1`` with its 10th-90th percentile band, so a lucky plan
does not win: ties go to the lower spread, then to the team name, and the same
submissions always give the same table. Scores are cached by plan, so a refresh
while the room submits only scores the new plans.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from communitylab.capstone.plan import plan_levers
from communitylab.capstone.room import Submission, latest
from communitylab.models import community
from communitylab.models.community import batch

__all__ = ["Score", "Row", "Trajectory", "score", "score_many", "leaderboard", "trajectory", "median_row", "SEEDS"]

#: Seeds a plan is scored over by default (the issue asks for at least 20).
SEEDS = 20
#: Plans whose scores are kept; a room of 40 teams resubmitting a few times fits many times over.
CACHE_SIZE = 2048


@dataclass(frozen=True)
class Score:
    """A plan's health score over seeds.

    Attributes
    ----------
    mean : float
        Mean health score (0-100).
    p10, p90 : float
        10th and 90th percentiles of the health score over the seeds.
    spread : float
        ``p90 - p10``.
    pillars : dict of str to float
        Each pillar's mean share over the seeds (0-1), keyed by :data:`community.PILLARS`.
    weakest : str
        The pillar with the lowest mean share: what holds the plan back.
    seeds : int
        Seeds scored (``0 .. seeds-1``).
    """

    mean: float
    p10: float
    p90: float
    spread: float
    pillars: dict[str, float]
    weakest: str
    seeds: int

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready values, rounded for a table."""
        return {
            "mean": round(self.mean, 2),
            "p10": round(self.p10, 2),
            "p90": round(self.p90, 2),
            "spread": round(self.spread, 2),
            "pillars": {name: round(value, 4) for name, value in self.pillars.items()},
            "weakest": self.weakest,
            "seeds": self.seeds,
        }


@dataclass(frozen=True)
class Row:
    """One team on the leaderboard.

    Attributes
    ----------
    rank : int
        1 for the best plan.
    team : str
        Team name.
    score : Score
        The team's latest plan's score.
    submission : Submission
        The latest submission (the one that counts).
    submissions : int
        How many plans the team has submitted.
    """

    rank: int
    team: str
    score: Score
    submission: Submission
    submissions: int

    @property
    def params(self) -> community.Params:
        """The plan that counts."""
        return self.submission.params

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready values (the command line's ``--json``)."""
        return {
            "rank": self.rank,
            "team": self.team,
            **self.score.to_dict(),
            "submitted_at": self.submission.submitted_at.isoformat(),
            "submissions": self.submissions,
            "levers": plan_levers(self.params),
        }


_cache: OrderedDict[tuple[community.Params, int], Score] = OrderedDict()


def _make_score(health: np.ndarray, shares: np.ndarray) -> Score:
    p10, p90 = np.percentile(health, [10, 90])
    means = shares.mean(axis=0)
    pillars = {name: float(value) for name, value in zip(community.PILLARS, means, strict=True)}
    return Score(
        mean=float(health.mean()),
        p10=float(p10),
        p90=float(p90),
        spread=float(p90 - p10),
        pillars=pillars,
        weakest=min(pillars, key=pillars.__getitem__),
        seeds=int(health.size),
    )


def score_many(plans: Sequence[community.Params], seeds: int = SEEDS) -> list[Score]:
    """Scores of several plans over the seeds ``0 .. seeds-1``; plans already scored come from the cache.

    The new plans are run together (:func:`communitylab.models.community.batch.health_many`), which is much faster
    than one run at a time.
    """
    if seeds < 1:
        raise ValueError(f"seeds = {seeds!r} must be at least 1")
    todo = list(dict.fromkeys(plan for plan in plans if (plan, seeds) not in _cache))
    if todo:
        shares, health = batch.health_many(todo, range(seeds))
        for plan, plan_shares, plan_health in zip(todo, shares, health, strict=True):
            _cache[(plan, seeds)] = _make_score(plan_health, plan_shares)
    scores = []
    for plan in plans:
        _cache.move_to_end((plan, seeds))
        scores.append(_cache[(plan, seeds)])
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return scores


def score(params: community.Params, seeds: int = SEEDS) -> Score:
    """A plan's health score over the seeds ``0 .. seeds-1`` (mean, 10th-90th percentile band, pillars, weakest)."""
    return score_many([params], seeds)[0]


def leaderboard(submissions: Iterable[Submission], seeds: int = SEEDS) -> list[Row]:
    """Each team's latest plan, scored and ranked: mean health score descending, then lower spread, then team name.

    Reproducible: the same submissions give the same table (fixed seeds ``0 .. seeds-1``).
    """
    submissions = list(submissions)
    counts: dict[str, int] = {}
    for submission in submissions:
        counts[submission.team] = counts.get(submission.team, 0) + 1
    current = latest(submissions)
    scores = score_many([s.params for s in current], seeds)
    ordered = sorted(
        zip(current, scores, strict=True),
        key=lambda pair: (-round(pair[1].mean, 9), round(pair[1].spread, 9), pair[0].team),
    )
    return [
        Row(rank=i + 1, team=s.team, score=sc, submission=s, submissions=counts[s.team])
        for i, (s, sc) in enumerate(ordered)
    ]


def median_row(rows: Sequence[Row]) -> Row | None:
    """The median team's row (the lower middle one for an even count), to draw beside a team's trajectory."""
    if not rows:
        return None
    ordered = sorted(rows, key=lambda row: row.rank)
    return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True)
class Trajectory:
    """A plan's health over time in one run.

    Attributes
    ----------
    day : (days,) ndarray of int
        Day index.
    health : (days,) ndarray of float
        Health score each day (0-100): attention, service loop and participation shares of that day, with the
        run's monetization, brand and platform shares (which the models give for the whole run).
    shares : dict of str to (days,) ndarray of float
        Each pillar's share each day.
    result : community.Result
        The whole run.
    """

    day: np.ndarray
    health: np.ndarray
    shares: dict[str, np.ndarray]
    result: community.Result


def trajectory(params: community.Params, seed: int = 0) -> Trajectory:
    """The health of a plan day by day in the run with ``seed`` (for a leaderboard row's chart)."""
    result = community.simulate(params, seed=seed)
    final = community.health_components(result)
    members = result.members
    daily = {
        "attention": 1.0 - result.mute_rate,
        "service_loop": np.divide(result.loyal, members, out=np.zeros_like(members), where=members > 0),
        "participation": result.engaged / params.group_members,
    }
    shares = {name: daily.get(name, np.full(result.day.size, final[name])) for name in community.PILLARS}
    stacked = np.clip(np.vstack([shares[name] for name in community.PILLARS]), community.SHARE_FLOOR, 1.0)
    health = 100.0 * np.exp(np.log(stacked).mean(axis=0))
    return Trajectory(day=result.day, health=health, shares=shares, result=result)


def clear_cache() -> None:
    """Forget every cached score (tests, or after a model change)."""
    _cache.clear()


def _now() -> dt.datetime:  # pragma: no cover - a seam for tests
    return dt.datetime.now(dt.UTC)
