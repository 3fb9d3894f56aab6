"""Lab 06: platform choice and traffic migration (model :mod:`communitylab.models.migration`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from communitylab.i18n import t
from communitylab.labs._base import ModelLab, Monitor
from communitylab.labs._charts import Panel, line_panels
from communitylab.labs._predict import Number
from communitylab.models import migration

__all__ = ["MigrationLab"]

#: Three panels side by side must fit next to the 400 px sidebar at 1280 px;
#: pinned runs add a label at the right end of every panel, so the panels narrow.
_PANEL_WIDTH = 215
_PANEL_WIDTH_PINNED = 170


@dataclass(frozen=True)
class FunnelMonitor(Monitor):
    """One campaign's conversion, shown next to what multiplying the mean step rates predicts."""

    def render(self, summary: Mapping[str, Any]) -> str:
        return t(
            "migration.monitor_text.funnel",
            measured=summary["single_campaign_pct"],
            product=summary["step_product_pct"],
        )


class MigrationLab(ModelLab):
    """Campaigns move WeChat members into an app: members in each channel and the value they create."""

    model = migration
    monitors = (
        Monitor("app_members_last_day", "{:,.0f}"),
        Monitor("app_peak", "{:,.0f}"),
        FunnelMonitor("single_campaign_pct"),
        Monitor("value_last_day", "{:,.0f}"),
    )
    open_groups = ("plan",)
    prediction = Number("single_campaign_pct", lo=0, hi=100)
    # A preset sets every control its name implies: a WeChat group that is closed is no
    # longer promoted as the traffic source, so its checkbox goes off with the closing day.
    presets: ClassVar[dict[str, dict[str, Any]]] = {
        "dual_track": {"keep_wechat": True, "close_day": -1},
        "close_wechat_day30": {"keep_wechat": False, "close_day": 30},
        "mini_program": {"mini_program": True},
        "no_fatigue": {"fatigue": 0.0},
        "app_barely_better": {"value_app": 1.5},
    }

    def panels(self) -> tuple[Panel, ...]:
        """Members in the WeChat group, app members, and the value created per day."""
        return (
            Panel("in_wechat", self.text("chart.in_wechat"), axis_format=",.0f"),
            Panel("in_app", self.text("chart.in_app"), axis_format=",.0f"),
            # the unit on the axis: in the panel title it would not fit the narrow panel
            Panel(
                "value_per_day",
                self.text("chart.value_per_day"),
                axis_format=",.0f",
                unit=self.text("chart.value_per_day_unit"),
            ),
        )

    def chart_template(self, pin_names):
        return line_panels(self.panels(), pin_names, width=_PANEL_WIDTH_PINNED if pin_names else _PANEL_WIDTH)
