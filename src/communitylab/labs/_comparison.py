"""Lab 07's comparison: a simulated community as large and as long as the export, drawn beside it.

The participation model of module 03 runs with as many members and days as the export has, and
:func:`communitylab.data.synthetic.generate_community` writes its run as a chat log, which goes through
:func:`communitylab.data.metrics.compute_all` like any export, so both communities are measured the same
way. The simulated community is a moderated one (:data:`communitylab.models.participation.MODERATED`, a
course assumption) or one left to itself (the model's defaults, module 03's death spiral).

Kept apart from :mod:`communitylab.labs.dashboard`, which owns the widgets: this part knows which
communities there are, how to simulate one and what it adds to the monitors and charts.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from communitylab.data.metrics import HealthMetrics, compute_all
from communitylab.i18n import t
from communitylab.reports import charts
from communitylab.reports.values import format_value

__all__ = ["COMPARISONS", "COMPARED", "comparison_options", "simulate_like", "monitor_note", "compared_charts"]

#: Simulated communities to compare with: a key (its catalog label is ``dashboard.compare.<key>``) and the
#: name in :mod:`communitylab.models.participation` of its changes to the defaults (``None``: the defaults).
COMPARISONS = {"moderated": "MODERATED", "unmoderated": None}
#: Charts that draw the simulated community next to the real one.
COMPARED = {"activity": charts.activity_chart, "lorenz": charts.lorenz_chart, "reply_times": charts.reply_time_chart}
#: Bounds of the simulated community: the model's range of members, and at least a month so the
#: weekly metrics have weeks to count, at most two years so a comparison stays a few seconds.
MEMBERS = (10, 20_000)
DAYS = (30, 730)


def comparison_options() -> list[tuple[str, str]]:
    """The comparison menu's options: none, then each community of :data:`COMPARISONS`, in the language in force."""
    return [(t("dashboard.compare.none"), "")] + [(t(f"dashboard.compare.{key}"), key) for key in COMPARISONS]


def simulate_like(
    metrics: HealthMetrics, messages: pd.DataFrame, key: str, *, seed: int = 0, language: str = "en"
) -> HealthMetrics | None:
    """Simulate the community ``key`` of :data:`COMPARISONS` with the export's size and length, and measure it.

    Parameters
    ----------
    metrics : HealthMetrics
        The export's metrics: its members (posting at least once) and its days set the run's size and length,
        clipped to :data:`MEMBERS` and :data:`DAYS`.
    messages : pandas.DataFrame
        The export's ``Messages`` table; the run starts on its first day, in its time zone.
    key : str
        A key of :data:`COMPARISONS`.
    seed : int
        Seed of the model run and of the chat log written from it.
    language : str
        ``"en"`` or ``"zh"``: the language of the simulated members' pseudonyms.

    Returns
    -------
    HealthMetrics or None
        Every metric of the simulated chat log; ``None`` for an empty export.
    """
    from communitylab.data.synthetic import generate_community
    from communitylab.models import participation

    if not len(messages):
        return None
    members = int(min(MEMBERS[1], max(MEMBERS[0], metrics.inequality.members)))
    days = int(min(DAYS[1], max(DAYS[0], len(metrics.activity))))
    start = messages["timestamp"].iloc[0]
    preset = COMPARISONS[key]
    changes = getattr(participation, preset) if preset else {}
    community = generate_community(
        participation.Params(members=members, days=days, **changes),
        seed=seed,
        start=start.strftime("%Y-%m-%d"),
        tz=str(start.tz or "UTC"),
        language=language,
    )
    return compute_all(community.messages)


def monitor_note(monitor: str, simulated: dict, key: str) -> str:
    """The line under a monitor's big number giving the simulated community's value (HTML)."""
    label, value = t(f"dashboard.series.{key}"), format_value(monitor, simulated[monitor])
    return f'<div class="cl-monitor-sim">{t("dashboard.ui.simulated_value", label=label, value=value)}</div>'


def compared_charts(metrics: HealthMetrics, simulated: HealthMetrics | None, key: str) -> dict[str, alt.Chart]:
    """The charts of :data:`COMPARED`, drawing the export and, if given, the simulated community ``key``."""
    both = {t("dashboard.series.real"): metrics}
    if simulated is not None:
        both[t(f"dashboard.series.{key}")] = simulated
    return {name: build(both) for name, build in COMPARED.items()}
