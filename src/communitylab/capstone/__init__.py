"""The capstone as a room competition: plans within a budget, submissions in a room folder, a leaderboard.

* :mod:`.plan`: the levers of a plan (from the community model), their costs and the budget, validation;
* :mod:`.room`: submissions as atomic JSON files in a room folder;
* :mod:`.scoring`: each plan over many seeds, ranked by its mean health score.
"""

from communitylab.capstone.plan import (
    HOURS_PER_WEEK,
    LEVERS,
    YUAN_PER_MONTH,
    Budget,
    Lever,
    PlanError,
    budget,
    make_plan,
    plan_levers,
)
from communitylab.capstone.room import Submission, default_room, latest, load, submit
from communitylab.capstone.scoring import Row, Score, leaderboard, median_row, score, trajectory

__all__ = [
    "LEVERS",
    "Lever",
    "Budget",
    "budget",
    "make_plan",
    "plan_levers",
    "PlanError",
    "HOURS_PER_WEEK",
    "YUAN_PER_MONTH",
    "Submission",
    "default_room",
    "submit",
    "load",
    "latest",
    "Score",
    "Row",
    "score",
    "leaderboard",
    "trajectory",
    "median_row",
]
