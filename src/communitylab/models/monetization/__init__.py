"""Model 4: monetization (module 04).

A free audience meets a paid offer: only members whose willingness to pay clears
the price can convert, selling makes them aware of the offer and drives free
members away, and paying members churn faster at a higher price.

* :mod:`.model`: the parameters, the result, the daily step and the unit economics;
* :mod:`.grid`: a whole price x selling-intensity grid stepped at once;
* :mod:`.plans`: "monetization is a result", selling plans against a community whose value grows.
"""

from communitylab.models.monetization.grid import Grid, revenue_grid
from communitylab.models.monetization.model import (
    MODEL,
    Params,
    Result,
    eligible_share,
    monthly_paid_churn,
    simulate,
    sweep,
)
from communitylab.models.monetization.plans import (
    SELL_FIRST,
    VALUE_FIRST,
    Plan,
    PlanRun,
    compare_plans,
    run_plan,
    selling_start_sweep,
)

# The contract every model shares (see communitylab.models._model), then this model's own additions.
__all__ = ["MODEL", "Params", "Result", "simulate", "sweep"]
__all__ += ["Grid", "revenue_grid", "eligible_share", "monthly_paid_churn"]
__all__ += ["Plan", "PlanRun", "SELL_FIRST", "VALUE_FIRST", "run_plan", "compare_plans", "selling_start_sweep"]
