"""The same QR-code launch year after year, as competition for attention rises (module 05).

The seed article's author (青木老贼 2016, part 3) recalls that his group QR code
used to fill a group in under a minute and now does not fill one in half a day,
while a big name's code fills one in minutes. This module reproduces that decline
with the brand model: the operator's audience stays the same, but every year a
member sits in more groups that compete for the same attention.

Competition, taken from the attention model (module 01)::

    competing groups   K(y) = K0 + K_growth * 365 * (y - y0)        (attention.Params defaults)
    crowding           c(y) = (1 + K(y)) / (1 + K(y_ref))
    share who see      reach(y)  = reach(y_ref) / c(y)               (logit share ~ 1 / (1 + K))
    time to see it     tau_view(y) = tau_view(y_ref) * c(y)

The share ``1 / (1 + K)`` is the multinomial logit's split of attention among
equally attractive groups (McFadden 1974), the rule the attention model's anchor
test checks (doubling the groups about halves a group's share). The growth of
``K`` (50 groups in the first year, 0.5 more a day) is the attention model's
course assumption, not a measured series; so is the rule that the time until a
follower sees the post grows in step with the crowding. Forwarding is held at
the reference year's values, so the decline owes nothing to a viral cascade in
the early years (scaling it as well would make those years faster still).

The parameters of a launch are given for the reference year, the article's 2016;
earlier years are derived from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from communitylab.models import attention
from communitylab.models.brand.model import Params, simulate

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "YEARS",
    "REFERENCE_YEAR",
    "OPERATOR",
    "INFLUENCER",
    "competing_groups",
    "launch_in_year",
    "fill_time_by_year",
]

#: Years of the comparison: three years before the article, and the article's year.
YEARS = (2013, 2014, 2015, 2016)
#: The year the launch parameters describe: the article's "now".
REFERENCE_YEAR = 2016
#: The year in which a member sits in the attention model's ``groups_start`` groups.
FIRST_YEAR = YEARS[0]

#: An active operator like the article's author, as of 2016 (course assumption): 6,000 followers, 8 % of whom
#: see a post, 30 % of those scan, views within 1.5 h; forwarding at the model's defaults (R = 0.3).
OPERATOR = Params(followers=6000, reach=0.08, join_rate=0.3, view_timescale_h=1.5)
#: The big name of the article, as of 2016: the lab's "influencer" preset (200,000 followers, 5 % see, 10 % scan,
#: views within half an hour).
INFLUENCER = Params(followers=200_000, reach=0.05, join_rate=0.1, view_timescale_h=0.5)

#: The columns of :func:`fill_time_by_year`'s table taken from each run's summary.
SUMMARY_COLUMNS = (
    "direct_scanners_mean",
    "reproduction_number",
    "scan_cap_median_h",
    "scan_cap_p10_h",
    "scan_cap_p90_h",
    "reach_scan_cap_pct",
    "full_median_h",
    "fill_pct",
)


def competing_groups(years: Iterable[float], competition: attention.Params | None = None) -> np.ndarray:
    """Groups competing for a member's attention in each year, ``K0 + K_growth * 365 * (y - y0)``.

    Parameters
    ----------
    years : iterable of float
        Calendar years (``FIRST_YEAR`` or later).
    competition : attention.Params, optional
        Supplies ``groups_start`` (groups in the first year) and ``groups_per_day``
        (groups/day); the attention model's defaults if omitted.

    Returns
    -------
    ndarray of float
        Groups per member, one per year.
    """
    c = competition if competition is not None else attention.Params()
    years = np.asarray(list(years), dtype=float)
    if (years < FIRST_YEAR).any():
        raise ValueError(f"years = {years.tolist()!r} must be {FIRST_YEAR} or later")
    return c.groups_start + c.groups_per_day * 365 * (years - FIRST_YEAR)


def launch_in_year(
    params: Params,
    year: float,
    *,
    reference_year: float = REFERENCE_YEAR,
    competition: attention.Params | None = None,
) -> Params:
    """The launch ``params`` (as of ``reference_year``) moved to another year's competition.

    The share who see the post is divided by the crowding ``c = (1 + K(year)) / (1 + K(reference_year))``
    and the time until they see it multiplied by it; everything else is unchanged.

    Raises
    ------
    ValueError
        If the moved launch leaves a parameter's range (e.g. a share above 1 in an early year).
    """
    groups = competing_groups([year, reference_year], competition)
    crowding = float((1 + groups[0]) / (1 + groups[1]))
    return params.replace(reach=params.reach / crowding, view_timescale_h=params.view_timescale_h * crowding)


def fill_time_by_year(
    operator: Params = OPERATOR,
    influencer: Params = INFLUENCER,
    years: Iterable[int] = YEARS,
    *,
    influencer_years: Iterable[int] = (REFERENCE_YEAR,),
    reference_year: int = REFERENCE_YEAR,
    competition: attention.Params | None = None,
    runs: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Median time for a QR code to fill (reach the scan limit), year by year, for an operator and an influencer.

    Every year is simulated with the same seed, so differences between years are not seed noise.
    The influencer is simulated only in ``influencer_years``: the article's contrast is with the
    big name *now*, and in early years its views would come faster than the model's range allows.

    Parameters
    ----------
    operator, influencer : Params
        Launches as of ``reference_year``; their ``runs`` is replaced by ``runs``.
    years, influencer_years : iterable of int
        Calendar years to simulate for each.
    reference_year : int
        The year the launch parameters describe.
    competition : attention.Params, optional
        Source of the group inflation (:func:`competing_groups`).
    runs : int
        Monte Carlo launches per year.
    seed : int
        Seed of every year's simulation.

    Returns
    -------
    pandas.DataFrame
        One row per (who, year), ``who`` being ``"operator"`` or ``"influencer"``, with
        ``groups`` (competing groups per member), ``crowding`` (c), ``reach_pct`` (% of
        followers who see the post), ``view_timescale_h`` (hours) and the run summary:
        ``scan_cap_median_h``, ``scan_cap_p10_h``, ``scan_cap_p90_h`` (hours; ``inf``
        when fewer than that share of runs got there), ``reach_scan_cap_pct`` (% of
        runs), ``full_median_h``, ``fill_pct``, ``direct_scanners_mean``,
        ``reproduction_number``.
    """
    import pandas as pd  # only here: the simulation kernels stay pandas-free

    reference_groups = float(competing_groups([reference_year], competition)[0])
    rows = []
    for who, params, when in (("operator", operator, years), ("influencer", influencer, influencer_years)):
        for year in when:
            launch = launch_in_year(
                params.replace(runs=runs), year, reference_year=reference_year, competition=competition
            )
            groups = float(competing_groups([year], competition)[0])
            summary = simulate(launch, seed=seed).summary()
            rows.append(
                {
                    "who": who,
                    "year": int(year),
                    "groups": groups,
                    "crowding": (1 + groups) / (1 + reference_groups),
                    "reach_pct": 100 * launch.reach,
                    "view_timescale_h": launch.view_timescale_h,
                    **{key: summary[key] for key in SUMMARY_COLUMNS},
                }
            )
    return pd.DataFrame(rows)
