"""Lab 03: participation design and the death spiral (model :mod:`communitylab.models.participation`)."""

from __future__ import annotations

from typing import Any, ClassVar

from communitylab.labs._base import ModelLab, Monitor
from communitylab.labs._charts import Panel
from communitylab.labs._predict import Choice
from communitylab.models import participation

__all__ = ["ParticipationLab"]


class ParticipationLab(ModelLab):
    """A new group day by day: posts and engaged members, with check-in, moderators, events and red packets.

    The monitors read the run's ``summary()``; the day the group goes quiet is NaN
    when it never does, and the monitor then says so in words.
    """

    model = participation
    monitors = (
        Monitor("quiet_day", "{:.0f}", nan_text="participation.monitor_text.never"),
        Monitor("engaged_last_day", "{:,.0f}"),
        Monitor("top1_share", "{:.0%}"),
        Monitor("ever_posted_pct", "{:.0f}%"),
    )
    # "Your group" starts open: its first slider (members) always moves the chart, while the
    # interventions' first sliders do nothing until their switch is on; presets set those.
    open_groups = ("group",)
    # days 28 and 90: the launch month, the first quarter; NaN (never quiet) is the last option
    prediction = Choice("quiet_day", bounds=(28, 90), never=True)
    # "moderated" is the group module 07 puts beside a real chat export: the model's own MODERATED
    # changes (check-in switch included), so the two modules cannot drift apart.
    presets: ClassVar[dict[str, dict[str, Any]]] = {
        "checkin_ritual": {"checkin": True},
        "late_checkin": {"checkin": True, "checkin_start": 30},
        "five_moderators": {"moderators": 5},
        "events_fortnightly": {"event_every_days": 14},
        "red_packets": {"red_packets": True},
        "red_packets_no_crowd_out": {"red_packets": True, "crowd_out": 0.0},
        "large_group": {"members": 2000},
        "moderated": dict(participation.MODERATED),
    }

    def panels(self) -> tuple[Panel, ...]:
        """The two panels: posts per day (the buzz members see) and engaged members (the cascade)."""
        return (
            Panel("posts_per_day", self.text("chart.posts_per_day"), axis_format=",.0f"),
            Panel("engaged", self.text("chart.engaged"), axis_format=",.0f"),
        )
