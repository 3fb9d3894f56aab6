"""Lab 04: monetization (model :mod:`communitylab.models.monetization`).

Three panels side by side: the free audience (which hard selling erodes), the
paying members, and the cash collected so far (where the annual fee shows as
steps on the day members pay, and again at the renewal). Pinned runs are grey
dashed ghost lines in each panel.
"""

from __future__ import annotations

from typing import Any, ClassVar

from communitylab.labs._base import ModelLab, Monitor
from communitylab.labs._charts import Panel, line_panels, line_records
from communitylab.models import monetization

__all__ = ["MonetizationLab"]

#: Three panels must fit beside the 400 px control column at 1280 px, so each is narrower than lab 01's,
#: and the pinned runs' names are written inside the plot rather than to its right.
PANEL_WIDTH = 215
PANEL_HEIGHT = 230


class MonetizationLab(ModelLab):
    """Price, selling intensity and the annual fee: members, paying members and cash over a year.

    Examples
    --------
    >>> lab = MonetizationLab()                                  # doctest: +SKIP
    >>> lab.apply_preset("hard_sell").summary()["ltv_cac"]       # doctest: +SKIP
    0.98...
    """

    model = monetization
    monitors = (
        Monitor("conversion_pct", "{:.2f} %"),
        Monitor("paid_churn_pct", "{:.1f} %"),
        Monitor("ltv_cac", "{:.1f}×"),
        Monitor("revenue", "¥{:,.0f}"),
    )
    open_groups = ("offer",)
    presets: ClassVar[dict[str, dict[str, Any]]] = {
        "gentle_selling": {"selling_intensity": 0.1},
        "hard_sell": {"selling_intensity": 1.5},
        "annual_299": {"annual_plan": True, "annual_price": 299.0},
        "cheap_10": {"price": 10.0},
        "premium": {"price": 50.0},
    }

    def __init__(self, seed: int = 0, lang: str | None = None, **params) -> None:
        super().__init__(seed=seed, lang=lang, **params)
        # The presets' names say what each scenario is; at the frame's 260 px they were cut off
        # at 1280x800, so the menu takes the sidebar's whole width here.

    def panels(self) -> tuple[Panel, ...]:
        """Free members, paying members, and cash collected so far (¥)."""
        return (
            Panel("free", self.text("chart.free_members"), axis_format=",.0f"),
            Panel("paid", self.text("chart.paid_members"), axis_format=",.0f"),
            Panel("cumulative_revenue", self.text("chart.cumulative_revenue_yuan"), axis_format=",.0f"),
        )

    def chart_template(self, pin_names):
        return line_panels(self.panels(), pin_names, width=PANEL_WIDTH, height=PANEL_HEIGHT, spacing=22)

    def chart_records(self, result, pins):
        return line_records(result, pins, self.panels())
