"""A standalone, offline HTML health report of one community (``communitylab report``).

The page holds everything it shows: charts are rendered to inline SVG with vl-convert
(no JavaScript, no fonts or styles fetched from anywhere), so it can be mailed or
opened on a machine without a network. The only web addresses in it are the links of
the reference list.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import mistune
import pandas as pd
import vl_convert

from communitylab.data.metrics import HealthMetrics, compute_all
from communitylab.data.schema import Problem
from communitylab.i18n import get_lang, t

from .charts import dashboard_charts
from .values import format_name, format_value

__all__ = ["render_report", "chart_svg"]

#: Definitions shown under each chart (catalog keys ``dashboard.definition.*``).
CHART_DEFINITIONS = {
    "activity": "messages",
    "active_members": "activity",
    "retention": "retention",
    "lorenz": "inequality",
    "reply_times": "replies",
    "top": "operators",
}
MAX_LISTED_PROBLEMS = 20

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif;
       max-width: 980px; margin: 24px auto; padding: 0 16px; color: #222; line-height: 1.5; }
h1 { color: #1f4e79; margin-bottom: 4px; }
h2 { color: #1f4e79; margin-top: 32px; border-bottom: 1px solid #d6dde6; }
table.summary { border-collapse: collapse; }
table.summary td { padding: 3px 12px 3px 0; border-bottom: 1px solid #eee; }
table.summary td.value { font-weight: 600; text-align: right; color: #1f4e79; }
figure { margin: 20px 0; }
figcaption { color: #555; font-size: 0.9em; max-width: 760px; }
.note { color: #666; font-size: 0.9em; }
"""


def chart_svg(chart) -> str:
    """Render an altair chart to an SVG string (offline, with vl-convert)."""
    return vl_convert.vegalite_to_svg(chart.to_dict())


def render_report(
    messages: pd.DataFrame,
    *,
    source_name: str,
    source_format: str,
    problems: Sequence[Problem] = (),
    read: int | None = None,
    dropped: int = 0,
    metrics: HealthMetrics | None = None,
    lang: str | None = None,
) -> str:
    """The HTML text of the report.

    Parameters
    ----------
    messages : DataFrame
        The ``Messages`` table.
    source_name, source_format : str
        File name and format, shown in the header (escaped).
    problems : sequence of Problem
        Import problems; the first :data:`MAX_LISTED_PROBLEMS` are listed.
    read, dropped : int
        Import counts for the problems paragraph.
    metrics : HealthMetrics, optional
        Precomputed metrics (default: :func:`compute_all` of ``messages``).
    lang : str, optional
        Language of the text (default: the current language).
    """
    lang = lang or get_lang()
    health = metrics or compute_all(messages)
    summary = health.summary()
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh_CN" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(t('dashboard.report.title', lang))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(t('dashboard.report.title', lang))}</h1>",
        f'<p class="note">{esc(t("dashboard.report.generated", lang, source=source_name, format=format_name(source_format, lang)))}</p>',
        f"<h2>{esc(t('dashboard.report.summary', lang))}</h2>",
        '<table class="summary">',
    ]
    for key, value in summary.items():
        parts.append(
            f"<tr><td>{esc(t(f'dashboard.monitor.{key}', lang))}</td>"
            f'<td class="value">{esc(format_value(key, value, lang))}</td></tr>'
        )
    parts.append("</table>")
    for name, chart in dashboard_charts(health, lang=lang).items():
        caption = t(f"dashboard.definition.{CHART_DEFINITIONS[name]}", lang)
        parts.append(f"<figure>{chart_svg(chart)}<figcaption>{esc(caption)}</figcaption></figure>")
    parts.append(f"<h2>{esc(t('dashboard.report.definitions', lang))}</h2><ul>")
    parts.extend(
        f"<li>{esc(t(f'dashboard.definition.{key}', lang))}</li>"
        for key in ("activity", "retention", "inequality", "replies", "operators", "activation", "churn")
    )
    parts.append("</ul>")
    parts.append(f"<h2>{esc(t('dashboard.report.problems', lang))}</h2>")
    if not dropped:
        parts.append(f"<p>{esc(t('dashboard.report.problems_none', lang))}</p>")
    else:
        shown = list(problems)[:MAX_LISTED_PROBLEMS]
        parts.append(
            f"<p>{esc(t('dashboard.report.problems_some', lang, dropped=dropped, read=read or 0, shown=len(shown)))}</p><ul>"
        )
        parts.extend(f"<li>{esc(str(problem))}</li>" for problem in shown)
        parts.append("</ul>")
    parts.append(f"<h2>{esc(t('dashboard.report.references', lang))}</h2>")
    parts.append(mistune.html(t("dashboard.report.reference_list", lang)))
    parts.append("</body></html>")
    return "\n".join(parts)
