"""What a person reads about a community's health: charts, summary values and the HTML report.

These modules present the metrics of :mod:`communitylab.data.metrics`; they are not part of
the data layer, which imports chats and computes numbers without knowing how they will be
shown (and without importing altair, vl-convert or mistune). Two front ends use them: the
module 07 dashboard (:mod:`communitylab.labs.dashboard`, interactive, in the browser) and the
``communitylab report`` command (a standalone HTML page). Keeping the presentation here,
rather than in ``labs/``, lets the command build a report without importing the widget
layer, and keeps the dashboard and the report drawing the same charts from one place.

* :mod:`.charts`: the altair charts of the dashboard and the report;
* :mod:`.values`: how a summary value is written (``"41.2 %"``, ``"12 min"``);
* :mod:`.html_report`: the offline HTML report.
"""
