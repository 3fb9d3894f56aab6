"""Model 5: personal brand, filling a WeChat group through a QR code (module 05).

An operator posts a group QR code; followers scan it directly and forward it, and
the group fills until the scan limit, after which members join only by invitation.
The monitors are the hours to the scan limit and to a full group, over many runs.

* :mod:`.model`: the parameters, the result and the model in words (its docstring);
* :mod:`.direct`: the followers' own scans;
* :mod:`.cascade`: the forwarding cascade, a Galton-Watson process with times;
* :mod:`.seats`: each run's scanners and invitation joins, from which the fill times follow;
* :mod:`.years`: the same launch year after year as competition for attention rises (the article's anecdote).
"""

from communitylab.models.brand.cascade import FORWARD_BUDGET, TOTAL_BUDGET_GENERATIONS, galton_watson_sizes
from communitylab.models.brand.model import MODEL, Params, Result, fill_probability, simulate, sweep
from communitylab.models.brand.years import competing_groups, fill_time_by_year, launch_in_year

# The contract every model shares (see communitylab.models._model), then this model's own additions.
__all__ = ["MODEL", "Params", "Result", "simulate", "sweep"]
__all__ += ["galton_watson_sizes", "fill_probability", "FORWARD_BUDGET", "TOTAL_BUDGET_GENERATIONS"]
__all__ += ["fill_time_by_year", "competing_groups", "launch_in_year"]
