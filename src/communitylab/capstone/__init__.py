"""The capstone as a room competition: plans within a budget, submissions in a room folder, a leaderboard.

* :mod:`.plan`: the levers of a plan (from the community model), their costs and the budget, validation;
* :mod:`.room`: submissions as atomic JSON files in a room folder;
* :mod:`.scoring`: each plan over many seeds, ranked by its mean health score.
"""

from communitylab.capstone import plan, room, scoring
from communitylab.capstone.plan import *  # noqa: F403  (each module's __all__ is the package's API)
from communitylab.capstone.room import *  # noqa: F403
from communitylab.capstone.scoring import *  # noqa: F403

__all__ = [*plan.__all__, *room.__all__, *scoring.__all__]
