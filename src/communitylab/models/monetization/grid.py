"""Revenue over a price x selling-intensity grid, every cell stepped at once (monetization, module 04).

The lab's heat map and the exercises' "best price" questions run many prices and
selling intensities; :func:`revenue_grid` steps the whole grid in one pass of the
same daily equations as :func:`~.model.simulate`, keeping only the totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from communitylab.models._model import FloatArray
from communitylab.models.monetization.model import (
    Params,
    daily_rates,
    eligible_share,
    integrate,
    monthly_paid_churn,
    unit_economics,
)

__all__ = ["Grid", "revenue_grid"]


@dataclass(frozen=True)
class Grid:
    """Outcomes over a price x selling-intensity grid; arrays have shape ``(P, S)``.

    Attributes
    ----------
    params : Params
        The base parameters (everything but price and selling intensity).
    prices : (P,) ndarray of float
        Plan prices: ¥/month, or ¥/year when ``params.annual_plan`` is on.
    selling : (S,) ndarray of float
        Selling intensities.
    revenue : (P, S) ndarray of float
        Cash collected over the run (¥).
    conversion_pct : (P, S) ndarray of float
        % of all free members seen who started paying.
    ltv_cac : (P, S) ndarray of float
        Lifetime value over acquisition cost per paying member.
    paid_members : (P, S) ndarray of float
        Paying members on the last day.
    """

    params: Params
    prices: FloatArray
    selling: FloatArray
    revenue: FloatArray
    conversion_pct: FloatArray
    ltv_cac: FloatArray
    paid_members: FloatArray

    def best(self) -> tuple[float, float]:
        """Price and selling intensity of the cell with the most revenue."""
        i, j = np.unravel_index(np.argmax(self.revenue), self.revenue.shape)
        return float(self.prices[i]), float(self.selling[j])


def revenue_grid(params: Params, prices: ArrayLike, selling: ArrayLike) -> Grid:
    """Run every (price, selling intensity) pair at once.

    Parameters
    ----------
    params : Params
        Base parameters; its ``price`` (or ``annual_price``) and ``selling_intensity`` are replaced.
    prices : (P,) array_like of float
        Plan prices: ¥/month, or ¥/year when ``params.annual_plan`` is on; each must be in that field's range.
    selling : (S,) array_like of float
        Selling intensities, each in [0, 2].

    Returns
    -------
    Grid
        Revenue, conversion, LTV/CAC and paying members, each ``(P, S)``.

    Raises
    ------
    ValueError
        If a price or intensity lies outside its parameter's range.
    """
    p = params
    prices = np.atleast_1d(np.asarray(prices, dtype=float))
    selling = np.atleast_1d(np.asarray(selling, dtype=float))
    Params.check_values("annual_price" if p.annual_plan else "price", prices)
    Params.check_values("selling_intensity", selling)
    monthly_prices = prices / 12 if p.annual_plan else prices
    conversion, free_churn = daily_rates(p, selling)
    totals = integrate(
        p,
        prices[:, None],
        eligible_share(p, prices)[:, None],
        conversion[None, :],
        free_churn[None, :],
        monthly_paid_churn(p, monthly_prices)[:, None],
        record=False,
    )
    shape = (prices.size, selling.size)
    converted = np.broadcast_to(totals["converted"], shape)
    seen = p.free_members + p.daily_inflow * p.days
    economics = unit_economics(p, monthly_prices[:, None], converted / seen)
    return Grid(
        params=p,
        prices=prices,
        selling=selling,
        revenue=np.array(np.broadcast_to(totals["cash"], shape)),
        conversion_pct=100 * converted / seen,
        ltv_cac=np.array(np.broadcast_to(economics["ltv_cac"], shape)),
        paid_members=np.array(np.broadcast_to(totals["paid"], shape)),
    )
