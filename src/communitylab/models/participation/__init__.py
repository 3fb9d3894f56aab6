"""Model 3: participation design and the death spiral (module 03).

A new group starts loud and goes quiet: novelty fades, members whose threshold the
group's activity no longer clears stop following it, and fewer posts make the group
quieter still. Check-in rituals, moderators, events and red packets push back.

* :mod:`.model`: the parameters, the result and the equations (in its docstring);
* :mod:`.drivers`: the members and the schedules that do not depend on the group's activity;
* :mod:`.meanfield`: the kernel :func:`simulate` runs, expected values per member;
* :mod:`.agents`: :func:`simulate_agents`, one history with every member's own state
  (the rules of the Mesa model in ``benchmarks/``, vectorised), for comparison.
"""

from communitylab.models.participation.agents import simulate_agents
from communitylab.models.participation.drivers import habit_curve, novelty
from communitylab.models.participation.model import (
    MODEL,
    MODERATED,
    QUIET_FRACTION,
    Params,
    Result,
    content_shares,
    simulate,
    sweep,
)

# The contract every model shares (see communitylab.models._model), then this model's own additions.
__all__ = ["MODEL", "Params", "Result", "simulate", "sweep"]
__all__ += ["simulate_agents", "content_shares", "novelty", "habit_curve", "QUIET_FRACTION", "MODERATED"]
