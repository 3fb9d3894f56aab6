"""Model 2: closed-loop service (module 02).

Members flow from an audience through new, active and loyal to churned; answering
issues and reporting back what changed ("closing the loop") raises satisfaction,
which keeps members and makes them loyal.

* :mod:`.model`: the parameters, the stocks, the daily step (equations in its docstring);
* :mod:`.scenarios`: many scenarios stepped together as arrays;
* :mod:`.bass`: the closed-form Bass curve the simulation reproduces.
"""

from communitylab.models.service_loop.bass import bass_adoption, bass_peak
from communitylab.models.service_loop.model import MODEL, Params, Result, Stocks, simulate, sweep
from communitylab.models.service_loop.scenarios import MAX_DAYS, Scenarios, simulate_many

# The contract every model shares (see communitylab.models._model), then this model's own additions.
__all__ = ["MODEL", "Params", "Result", "simulate", "sweep"]
__all__ += ["Stocks", "Scenarios", "simulate_many", "MAX_DAYS", "bass_adoption", "bass_peak"]
