"""The capstone model (lab 08): six pillars of a community coupled into one plan, and its health score.

* :mod:`.model`: the plan's parameters, the result, the health score (equations in its docstring);
* :mod:`.pillars`: one step per pillar, each through the pillar model's own functions;
* :mod:`.batch`: many seeds (and plans) of the score at once, for the capstone leaderboard.
"""

from communitylab.models.community.model import (
    ASSUMPTIONS,
    ATTENTION_SAMPLE,
    LTV_CAC_TARGET,
    MODEL,
    PILLARS,
    SHARE_FLOOR,
    Params,
    Result,
    health_components,
    health_score,
    pillar_params,
    simulate,
    sweep,
)

# The contract every model shares (see communitylab.models._model), then this model's own additions.
__all__ = ["MODEL", "Params", "Result", "simulate", "sweep"]
__all__ += [
    "PILLARS",
    "ASSUMPTIONS",
    "ATTENTION_SAMPLE",
    "LTV_CAC_TARGET",
    "SHARE_FLOOR",
    "health_components",
    "health_score",
    "pillar_params",
]
