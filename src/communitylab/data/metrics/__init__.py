"""Community health metrics on the one ``Messages`` table (see :mod:`communitylab.data.schema`).

Every metric is a function of the table and a few documented options, vectorised with
numpy/pandas (all of them together run on 1,000,000 messages in well under two seconds;
see ``benchmarks/bench_import.py``). :func:`compute_all` prepares the table once and
computes every metric; ``compute_all(messages).summary()`` gives the headline numbers.

The metrics are grouped by the question they answer, one module each:

====================  =====================================================================
module                metrics
====================  =====================================================================
:mod:`.prepared`      :func:`prepare`: the columns every metric reads, extracted once
:mod:`.activity`      :func:`active_users` (DAU/WAU/MAU), :func:`stickiness`,
                      :func:`cohort_retention`
:mod:`.inequality`    :func:`participation_inequality` (90-9-1, Gini, Lorenz),
                      :func:`top_contributors`
:mod:`.replies`       :func:`reply_times` (time to first reply, unanswered rate)
:mod:`.members`       :func:`operator_share`, :func:`newcomer_activation`, :func:`churn`
:mod:`.health`        :class:`HealthMetrics`, :func:`compute_all`
====================  =====================================================================

Conventions shared by all metrics
---------------------------------
- A *message* is a row whose ``kind`` is not a service event (``system``, ``join``,
  ``leave``; :data:`communitylab.data.schema.EVENT_KINDS`). Events are used only where a
  metric says so (joins for activation, leaves for churn).
- Bots (``is_bot``) are left out of member metrics by default (``include_bots=False``):
  an automated check-in bot would otherwise look like the most engaged member.
- Days and weeks are calendar days and Monday-start weeks in the time zone of the
  timestamps (the group's local time), so a message at 23:30 in Shanghai counts for
  that Shanghai day. Naive timestamps are read as UTC.
- "Practitioner definition" marks metrics that come from product-analytics practice
  rather than from a peer-reviewed source; they are stated exactly so that two tools
  computing them agree.
"""

from .activity import active_users, cohort_retention, stickiness
from .health import HealthMetrics, compute_all
from .inequality import Inequality, participation_inequality, top_contributors
from .members import churn, newcomer_activation, operator_share
from .prepared import Prepared, prepare
from .replies import ReplyTimes, reply_times

__all__ = [
    "Prepared",
    "prepare",
    "active_users",
    "stickiness",
    "cohort_retention",
    "Inequality",
    "participation_inequality",
    "ReplyTimes",
    "reply_times",
    "operator_share",
    "newcomer_activation",
    "churn",
    "top_contributors",
    "HealthMetrics",
    "compute_all",
]
