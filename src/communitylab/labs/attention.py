"""Lab 01: value positioning and attention share (model :mod:`communitylab.models.attention`)."""

from __future__ import annotations

from typing import Any, ClassVar

from communitylab.labs._base import ModelLab, Monitor
from communitylab.labs._charts import Panel
from communitylab.labs._predict import Choice
from communitylab.models import attention

__all__ = ["AttentionLab"]


class AttentionLab(ModelLab):
    """Sliders for positioning, posting volume and competition; read share and mute rate over a year."""

    model = attention
    monitors = (
        Monitor("read_share_pct", "{:.2f} %"),
        Monitor("muted_pct", "{:.1f} %"),
        Monitor("reads_per_member", "{:.2f}"),
        Monitor("share_vs_fair", "{:.2f}×"),
    )
    open_groups = ("group",)
    # the share on the last day, binned; the lesson's claim is that group inflation erodes it whatever you do
    prediction = Choice("read_share_pct", bounds=(0.5, 1.0, 1.5))
    presets: ClassVar[dict[str, dict[str, Any]]] = {
        "sharp_niche": {"niche_width": 0.03},
        "generic_group": {"niche_width": 0.25},
        "loud_group": {"posts_per_day": 200},
        "no_group_inflation": {"groups_per_day": 0},
        "calm_members": {"overload_pickiness": 0},
    }

    def panels(self) -> tuple[Panel, ...]:
        """The two panels: read share and mute rate, in percent."""
        return (
            Panel("read_share", self.text("chart.read_share"), scale=100, axis_format=".2f"),
            Panel("mute_rate", self.text("chart.mute_rate"), scale=100, axis_format=".0f"),
        )
