"""Every metric of one community at once: :class:`HealthMetrics` and :func:`compute_all`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .activity import active_users, cohort_retention, stickiness
from .inequality import Inequality, participation_inequality, top_contributors
from .members import churn, newcomer_activation, operator_share
from .prepared import Prepared, prepare
from .replies import ReplyTimes, reply_times

__all__ = ["HealthMetrics", "compute_all"]


@dataclass(frozen=True)
class HealthMetrics:
    """Every metric of one community, as computed by :func:`compute_all`."""

    activity: pd.DataFrame
    stickiness: float
    retention: pd.DataFrame
    inequality: Inequality
    replies: ReplyTimes
    operators: dict
    activation: dict
    churn: dict
    top: pd.DataFrame

    def summary(self) -> dict[str, float]:
        """Headline numbers (shares in [0, 1], times in seconds)."""
        act = self.activity
        week1 = self.retention[1] if 1 in self.retention.columns else pd.Series(dtype=float)
        sizes = self.retention["members"] if "members" in self.retention else pd.Series(dtype=float)
        valid = week1.notna()
        return {
            "messages": int(act["messages"].sum()) if len(act) else 0,
            "members_posting": int(self.inequality.posters),
            "days": len(act),
            "dau_mean": float(act["dau"].mean()) if len(act) else float("nan"),
            "wau_last": int(act["wau"].iloc[-1]) if len(act) else 0,
            "mau_last": int(act["mau"].iloc[-1]) if len(act) else 0,
            "stickiness": self.stickiness,
            "week1_retention": float((week1[valid] * sizes[valid]).sum() / sizes[valid].sum())
            if valid.any()
            else float("nan"),
            "top1_share": self.inequality.top1_share,
            "next9_share": self.inequality.next9_share,
            "bottom90_share": self.inequality.bottom90_share,
            "gini": self.inequality.gini,
            "median_reply_seconds": self.replies.median_seconds,
            "unanswered_rate": self.replies.unanswered_rate,
            "member_share": self.operators["member_share"],
            "operator_share": self.operators["operator_share"],
            "bot_share": self.operators["bot_share"],
            "activation_rate": self.activation["rate"],
            "churn_rate": self.churn["rate"],
        }


def compute_all(
    messages: pd.DataFrame | Prepared,
    *,
    include_bots: bool = False,
    population: int | None = None,
    operators: Iterable[str] | None = None,
    top_k_operators: int = 3,
    reply_method: str = "auto",
    reply_window: str | pd.Timedelta = "24h",
    activation_days: float = 7,
    churn_days: float = 30,
    top_n: int = 10,
) -> HealthMetrics:
    """Prepare the table once and compute every metric with the given options."""
    prep = prepare(messages)
    activity = active_users(prep, include_bots=include_bots)
    return HealthMetrics(
        activity=activity,
        stickiness=stickiness(activity),
        retention=cohort_retention(prep, include_bots=include_bots),
        inequality=participation_inequality(prep, population=population, include_bots=include_bots),
        replies=reply_times(prep, method=reply_method, window=reply_window, include_bots=include_bots),
        operators=operator_share(prep, operators=operators, top_k=top_k_operators),
        activation=newcomer_activation(prep, within_days=activation_days),
        churn=churn(prep, silent_days=churn_days, include_bots=include_bots),
        top=top_contributors(prep, n=top_n, include_bots=include_bots),
    )
