"""Who writes the messages: 90-9-1 content shares, Gini coefficient, Lorenz curve, top contributors."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .prepared import Prepared, prepare

__all__ = ["Inequality", "participation_inequality", "top_contributors"]


@dataclass(frozen=True)
class Inequality:
    """Participation inequality of one community.

    Attributes
    ----------
    members : int
        Members counted (posters plus known silent members).
    posters : int
        Members with at least one message.
    top1_share, next9_share, bottom90_share : float
        Share of all messages written by the most active 1 % of members, the next 9 %
        and the remaining 90 % (the "90-9-1" classes; they sum to 1).
    gini : float
        Gini coefficient of messages per member, in [0, 1).
    lorenz : DataFrame
        Columns ``member_share`` and ``content_share``: the Lorenz curve (members
        sorted from least to most active), sampled at evenly spaced member shares.
    """

    members: int
    posters: int
    top1_share: float
    next9_share: float
    bottom90_share: float
    gini: float
    lorenz: pd.DataFrame = field(repr=False)

    @property
    def poster_share(self) -> float:
        """Share of members who posted at least once."""
        return self.posters / self.members if self.members else float("nan")


def _top_share(desc_cum: NDArray[np.float64], n: int, fraction: float) -> float:
    """Content share of the top ``fraction`` of members, interpolating within a member."""
    return float(np.interp(fraction * n, np.arange(n + 1), desc_cum))


def participation_inequality(
    messages: pd.DataFrame | Prepared,
    *,
    population: int | None = None,
    include_bots: bool = False,
    lorenz_points: int = 101,
) -> Inequality:
    """90-9-1 content shares, Gini coefficient and Lorenz curve of messages per member.

    Members are ranked by their message count. The share of content held by the top
    fraction ``p`` of members is read off the piecewise-linear cumulative curve, so a
    class boundary that falls inside a member takes that fraction of the member's
    messages (with 10 members the "top 1 %" is a tenth of the busiest member). The
    head-count classes 1 % / 9 % / 90 % are Nielsen's (2006, "Participation inequality:
    encouraging more users to contribute", NN/g Alertbox; a practitioner rule); van
    Mierlo (2014, *J Med Internet Res* 16(2):e33, doi:10.2196/jmir.2966) measured the
    content shares of these classes in four health networks (74.7 % / 24.0 % / 1.3 %).

    :func:`communitylab.models.participation.content_shares` rounds the class sizes to
    whole members instead; the two agree whenever 1 % and 10 % of the members are whole
    numbers (e.g. 500 members) and differ slightly for small groups.

    Gini (Gini 1912; sample form of e.g. Cowell, *Measuring Inequality*, 2011):
    ``G = sum_i (2i - n - 1) x_(i) / (n sum x)`` with ``x`` sorted ascending, ``i = 1..n``;
    equal to one minus twice the area under the piecewise-linear Lorenz curve.

    Parameters
    ----------
    population : int, optional
        Total members of the group if you know it (e.g. the member count WeChat shows).
        Members beyond those seen in the export count as silent (zero messages). By
        default the members are the authors of messages plus members seen only in join
        events.
    include_bots : bool
        Count bots as members.
    lorenz_points : int
        Points sampled on the Lorenz curve (including both ends).

    Raises
    ------
    ValueError
        If ``population`` is smaller than the number of members seen in the export.
    """
    prep = prepare(messages)
    mask = prep.member_messages(include_bots)
    counts = np.bincount(prep.author[mask], minlength=len(prep.author_ids)).astype(np.float64)
    seen = np.zeros(len(prep.author_ids), dtype=bool)
    seen[prep.author[mask]] = True
    joined = (prep.kind == "join") & (prep.author >= 0)
    if not include_bots:
        joined &= ~prep.is_bot
    seen[prep.author[joined]] = True
    counts = counts[seen]
    if population is not None:
        if population < len(counts):
            raise ValueError(f"population={population} is smaller than the {len(counts)} members seen in the export")
        counts = np.r_[counts, np.zeros(population - len(counts))]
    n = len(counts)
    total = counts.sum()
    if n == 0 or total == 0:
        empty = pd.DataFrame({"member_share": [0.0, 1.0], "content_share": [0.0, 1.0]})
        return Inequality(n, 0, float("nan"), float("nan"), float("nan"), float("nan"), empty)
    ascending = np.sort(counts)
    desc_cum = np.r_[0.0, np.cumsum(ascending[::-1])] / total
    top1 = _top_share(desc_cum, n, 0.01)
    top10 = _top_share(desc_cum, n, 0.10)
    ranks = np.arange(1, n + 1)
    gini = float(np.sum((2 * ranks - n - 1) * ascending) / (n * total))
    grid = np.linspace(0.0, 1.0, lorenz_points)
    asc_cum = np.r_[0.0, np.cumsum(ascending)] / total
    lorenz = pd.DataFrame({"member_share": grid, "content_share": np.interp(grid * n, np.arange(n + 1), asc_cum)})
    return Inequality(
        members=n,
        posters=int((counts > 0).sum()),
        top1_share=top1,
        next9_share=top10 - top1,
        bottom90_share=1.0 - top10,
        gini=gini,
        lorenz=lorenz,
    )


def top_contributors(messages: pd.DataFrame | Prepared, *, n: int = 10, include_bots: bool = False) -> pd.DataFrame:
    """The ``n`` most active authors: pseudonymous ``author`` and name, ``messages``, ``share`` of all member messages."""
    prep = prepare(messages)
    mask = prep.member_messages(include_bots)
    counts = np.bincount(prep.author[mask], minlength=len(prep.author_ids))
    order = np.lexsort((np.arange(len(counts)), -counts))[:n]
    order = order[counts[order] > 0]
    total = counts.sum()
    return pd.DataFrame(
        {
            "author": prep.author_ids[order].astype(str),
            "name": prep.author_names[order].astype(str),
            "messages": counts[order],
            "share": counts[order] / total if total else np.zeros(len(order)),
        }
    )
