"""Lab 07: a community health dashboard of a chat export, next to a simulated community.

Pick a bundled synthetic dataset or upload an export (WeChat, Telegram, Discord,
WhatsApp, Slack); the lab imports it with :func:`communitylab.data.importers.read_chat`
(pseudonymised), computes every metric of :mod:`communitylab.data.metrics` and draws
the charts of :mod:`communitylab.reports.charts`. "Compare with" draws a simulated
community beside it, a moderated one or one left to itself, as large and as long as the
export and measured the same way; :mod:`communitylab.labs._comparison` simulates it.

Like the model labs, the charts are ``alt.JupyterChart`` widgets updated in place
(their ``chart`` is replaced); nothing is redrawn through ``Output`` widgets.

Uploads go through :class:`~communitylab.labs.file_picker.FilePicker`, which measures a
file in the browser and sends only what fits in one websocket message
(:data:`UPLOAD_LIMIT_MB`); a larger file gets a message in the page instead of silently
never arriving. A zip archive is opened only if what it unpacks to stays within
:data:`UNPACKED_LIMIT_MB`, which keeps the kernel's memory under a gigabyte (see
``tests/labs/test_dashboard_upload.py``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import altair as alt
import ipywidgets as W
import pandas as pd

from communitylab import i18n
from communitylab.data.bundled import bundled_files
from communitylab.data.metrics import HealthMetrics, compute_all
from communitylab.i18n import t
from communitylab.labs._comparison import COMPARISONS, compared_charts, comparison_options, monitor_note, simulate_like
from communitylab.labs._offline import enable_offline_charts
from communitylab.labs._style import LAB_CSS
from communitylab.labs._widgets import QuietUpdates, close_descendants, language_toggle
from communitylab.labs.file_picker import FilePicker
from communitylab.reports import charts
from communitylab.reports.values import format_name, format_value

__all__ = ["DashboardLab", "COMPARISONS", "DEFAULT_DATASET", "UPLOAD_LIMIT_MB", "UNPACKED_LIMIT_MB"]

DEFAULT_DATASET = "telegram-launch/result.json"
#: Largest upload accepted (MiB): one websocket message carries the file, and Jupyter's
#: websocket refuses messages over 10 MiB (:data:`~communitylab.labs.file_picker.MAX_FILE_BYTES`).
UPLOAD_LIMIT_MB = 9.5
#: Largest an uploaded zip may unpack to (MiB). A Slack export zipped under the upload
#: limit unpacks to about 120 MiB (its JSON compresses some twelvefold); a zip bomb is
#: refused before it is unpacked. Measured on a shared 2-core machine: a 196 MiB synthetic
#: Slack export (440,000 messages) peaks at 553 MiB of kernel memory through this dashboard.
UNPACKED_LIMIT_MB = 200
#: Summary values shown as big numbers, in order.
MONITORS = (
    "messages",
    "members_posting",
    "stickiness",
    "week1_retention",
    "top1_share",
    "gini",
    "median_reply_seconds",
    "unanswered_rate",
    "activation_rate",
    "churn_rate",
)
CHART_NAMES = ("activity", "active_members", "retention", "lorenz", "reply_times", "top")
_EMBED_OPTIONS = {"renderer": "svg", "actions": False}
_CSS = """
<style>
.cl-dashboard .cl-monitors { display: grid !important; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 8px; }
.cl-dashboard .cl-monitor-sim { font-size: 0.8em; color: #b25c00; }
.cl-dashboard .cl-charts { display: grid !important; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; }
.cl-dashboard .cl-source { gap: 12px; align-items: center; flex-wrap: wrap; }
</style>
"""


class DashboardLab(QuietUpdates, W.VBox):
    """The module 07 dashboard; see the module docstring.

    Parameters
    ----------
    dataset : str, optional
        Bundled dataset to open first (``"<folder>/<file>"``, see
        :func:`communitylab.data.bundled.bundled_files`); ``None`` starts empty.
    lang : str, optional
        ``"en"`` or ``"zh_CN"``; by default the language in force.
    upload_limit_mb : float
        Largest upload accepted (MiB), at most :data:`UPLOAD_LIMIT_MB`.
    unpacked_limit_mb : float
        Largest an export may be, or a zip archive unpack to (MiB).
    seed : int
        Seed of the simulated community.

    Examples
    --------
    >>> lab = DashboardLab("wechat-study-group/wechatmsg.csv")   # doctest: +SKIP
    >>> lab.metrics.summary()["top1_share"]                      # doctest: +SKIP
    >>> lab.compare(True).summary()["top1_share"]                # doctest: +SKIP
    """

    def __init__(
        self,
        dataset: str | None = DEFAULT_DATASET,
        *,
        lang: str | None = None,
        upload_limit_mb: float = UPLOAD_LIMIT_MB,
        unpacked_limit_mb: float = UNPACKED_LIMIT_MB,
        seed: int = 0,
    ) -> None:
        enable_offline_charts()
        if lang is not None:
            i18n.set_lang(lang)
        self.upload_limit_mb = upload_limit_mb
        self.unpacked_limit_mb = unpacked_limit_mb
        self._seed = int(seed)
        self._files = bundled_files()
        self._messages: pd.DataFrame | None = None
        self._report = None
        self._metrics: HealthMetrics | None = None
        self._simulated: HealthMetrics | None = None
        self._source_name = ""
        self._updating = False

        self._title = W.HTML()
        self._language = language_toggle()
        self._dataset = W.Dropdown(
            options=self._dataset_options(),
            layout=W.Layout(width="400px"),
            style={"description_width": "initial"},
        )
        self._upload = FilePicker(
            on_file=self._handle_upload,
            on_refused=self._handle_upload_refused,
            accept=".csv,.json,.txt,.zip",
            max_bytes=int(upload_limit_mb * 2**20),
        )
        self._upload_label = W.HTML()
        self._compare_menu = W.Dropdown(
            options=comparison_options(),
            value="",
            layout=W.Layout(width="360px"),
            style={"description_width": "initial"},
        )
        self._status = W.HTML()
        self._status.add_class("cl-status-line")
        self._monitor_boxes = {key: W.HTML() for key in MONITORS}
        empty = alt.Chart(pd.DataFrame({"x": []})).mark_point()
        self._charts = {name: alt.JupyterChart(empty, embed_options=_EMBED_OPTIONS) for name in CHART_NAMES}
        for name, chart in self._charts.items():
            chart.add_class("cl-chart")
            chart.add_class(f"cl-chart-{name}")

        self._dataset.observe(self._handle_dataset_change, names="value")
        self._compare_menu.observe(self._handle_compare_change, names="value")
        self._language.observe(self._handle_language_toggle, names="value")

        header = W.HBox(
            [self._title, self._language], layout=W.Layout(justify_content="space-between", align_items="center")
        )
        source = W.HBox([self._dataset, W.VBox([self._upload, self._upload_label]), self._compare_menu])
        source.add_class("cl-source")
        monitors = W.HBox(list(self._monitor_boxes.values()))
        monitors.add_class("cl-monitors")
        grid = W.Box(list(self._charts.values()))
        grid.add_class("cl-charts")
        super().__init__(children=[W.HTML(LAB_CSS + _CSS), header, source, self._status, monitors, grid])
        self.add_class("cl-lab")
        self.add_class("cl-dashboard")
        self._relabel()
        self._unsubscribe = i18n.on_lang_change(self._handle_lang_change)  # held weakly
        if dataset:
            self.load_dataset(dataset)

    # -- public API (notebooks, exercises, tests) ------------------------------------
    @property
    def messages(self) -> pd.DataFrame | None:
        """The imported ``Messages`` table (pseudonymised)."""
        return self._messages

    @property
    def metrics(self) -> HealthMetrics | None:
        """Every metric of the imported community."""
        return self._metrics

    @property
    def simulated(self) -> HealthMetrics | None:
        """Every metric of the simulated community (``None`` unless comparing)."""
        return self._simulated

    @property
    def comparison(self) -> str:
        """Key in :data:`COMPARISONS` of the simulated community shown, or ``""`` for none."""
        return self._compare_menu.value

    @property
    def status(self) -> str:
        """The status line's HTML (import summary or the error)."""
        return self._status.value

    @property
    def chart_specs(self) -> dict[str, dict]:
        """The Vega-Lite spec each chart now draws, by chart name."""
        return {name: chart.spec for name, chart in self._charts.items()}

    def load_dataset(self, name: str) -> bool:
        """Open a bundled dataset; returns whether it was imported."""
        if name not in self._files:
            raise KeyError(f"unknown dataset {name!r}; bundled: {', '.join(self._files)}")
        with self._quietly():
            self._dataset.value = name
        return self.load_file(self._files[name])

    def load_file(self, path: str | Path, format: str = "auto", tz: str | None = None) -> bool:
        """Import an export from disk; on bad input show the reason and keep the previous data.

        An export larger than ``unpacked_limit_mb``, or a zip archive that unpacks to more,
        is refused before it is read.
        """
        from communitylab.data.importers import ChatImportError, ExportTooLarge, read_chat

        path = Path(path)
        self._status.value = f'<span class="cl-status">{t("dashboard.ui.loading")}</span>'
        try:
            # pseudonyms in the page's language ("成员 3f9a2c" on a Chinese page)
            messages, report = read_chat(
                path, format, tz=tz, max_bytes=int(self.unpacked_limit_mb * 2**20), language=i18n.get_lang()
            )
        except ExportTooLarge as error:
            key = "dashboard.ui.archive_too_large" if error.unpacked else "dashboard.ui.file_too_large"
            self._show_error(t(key, name=error.name, limit_mb=f"{self.unpacked_limit_mb:g}"))
            return False
        except (ChatImportError, OSError, ValueError, UnicodeError) as error:
            self._show_error(t("dashboard.ui.import_error", message=error))
            return False
        self._messages, self._report, self._source_name = messages, report, path.name
        self._metrics = compute_all(messages)
        self._simulated = self._simulate() if self.comparison else None
        self._redraw()
        return True

    def load_bytes(self, name: str, content: bytes) -> bool:
        """Import an uploaded export (kept in a temporary folder only while it is read)."""
        if len(content) > self.upload_limit_mb * 2**20:
            self._handle_upload_refused(name, len(content))
            return False
        with tempfile.TemporaryDirectory(prefix="communitylab-upload-") as folder:
            path = Path(folder) / (Path(name).name or "upload")
            path.write_bytes(content)
            loaded = self.load_file(path)
        if loaded:
            with self._quietly():
                self._dataset.value = ""
        return loaded

    def close(self) -> None:
        """Stop following language switches and close the dashboard and its widgets, so the kernel can free them."""
        # ipywidgets also calls close() from __del__, on a lab whose __init__ may have failed early
        getattr(self, "_unsubscribe", lambda: None)()
        close_descendants(self)
        super().close()

    def compare(self, on: bool | str = True) -> HealthMetrics | None:
        """Show a simulated community next to this one (``True``: the moderated one; or a key of
        :data:`COMPARISONS`), or hide it (``False``); returns its metrics."""
        key = "moderated" if on is True else (on or "")
        if key and key not in COMPARISONS:
            raise KeyError(f"unknown comparison {key!r}; known: {', '.join(COMPARISONS)}")
        with self._quietly():
            self._compare_menu.value = key
        self._simulated = self._simulate() if key and self._metrics is not None else None
        self._redraw()
        return self._simulated

    # -- simulation --------------------------------------------------------------------
    def _simulate(self) -> HealthMetrics | None:
        """The simulated community chosen, as large and as long as this one, or ``None``."""
        if self._metrics is None or self._messages is None:
            return None
        language = "zh" if i18n.get_lang() == "zh_CN" else "en"
        return simulate_like(self._metrics, self._messages, self.comparison, seed=self._seed, language=language)

    # -- drawing ------------------------------------------------------------------------
    def _redraw(self) -> None:
        if self._metrics is None:
            return
        summary = self._metrics.summary()
        simulated = self._simulated.summary() if self._simulated is not None else None
        for key, box in self._monitor_boxes.items():
            sim = monitor_note(key, simulated, self.comparison) if simulated is not None else ""
            box.value = (
                f'<div class="cl-monitor-value">{format_value(key, summary[key])}</div>'
                f'<div class="cl-monitor-label">{t(f"dashboard.monitor.{key}")}</div>{sim}'
            )
        drawn = charts.dashboard_charts(self._metrics)
        drawn.update(compared_charts(self._metrics, self._simulated, self.comparison))
        for name, chart in drawn.items():
            self._charts[name].chart = chart
        report = self._report
        summary_text = t(
            "dashboard.ui.loaded",
            messages=f"{summary['messages']:,}",
            authors=f"{summary['members_posting']:,}",
            first=self._metrics.activity.index[0].strftime("%Y-%m-%d") if len(self._metrics.activity) else "–",
            last=self._metrics.activity.index[-1].strftime("%Y-%m-%d") if len(self._metrics.activity) else "–",
            source=self._source_name,
            format=format_name(report.format),
        )
        problems = ""
        if report.dropped:
            problems = "<br>" + t(
                "dashboard.ui.problems", dropped=report.dropped, first=report.problems[0] if report.problems else ""
            )
        self._status.value = f'<span class="cl-status">{summary_text}{problems}</span>'

    def _dataset_options(self) -> list[tuple[str, str]]:
        """The bundled exports as (what the reader sees, ``"<dataset>/<file>"``) in the language in force.

        A dataset without a catalog title (one added to ``datasets/`` later) shows its folder name.
        """
        options = [("—", "")]
        for name in self._files:
            folder, file = name.split("/", 1)
            key = f"dashboard.datasets.{folder}"
            title = t(key) if key in i18n.catalog(i18n.DEFAULT_LANG) else folder
            options.append((t("dashboard.ui.dataset_option", title=title, file=file), name))
        return options

    def _show_error(self, message: str) -> None:
        import html

        self._status.value = f'<span class="cl-error">{html.escape(message)}</span>'

    def _relabel(self) -> None:
        with self._quietly():
            self._language.value = i18n.get_lang()
            self._title.value = f'<h2 class="cl-title">{t("dashboard.title")}</h2><p>{t("dashboard.subtitle")}</p>'
            self._dataset.description = t("dashboard.ui.dataset")
            chosen = self._dataset.value
            self._dataset.options = self._dataset_options()
            self._dataset.value = chosen
            self._upload.label = t("dashboard.ui.upload")
            self._upload_label.value = (
                f'<span class="cl-status">{t("dashboard.ui.upload_help", limit_mb=f"{self.upload_limit_mb:g}")}</span>'
            )
            compared = self._compare_menu.value
            self._compare_menu.options = comparison_options()
            self._compare_menu.value = compared
            self._compare_menu.description = t("dashboard.ui.compare")
            self._compare_menu.tooltip = t("dashboard.ui.compare_help")

    # -- event handlers -------------------------------------------------------------------
    def _handle_dataset_change(self, change: dict) -> None:
        if not self._updating and change["new"]:
            self.load_dataset(change["new"])

    def _handle_upload(self, name: str, content: bytes) -> None:
        """A file arrived from the picker: import it; the bytes are dropped once it is read."""
        self.load_bytes(name, content)

    def _handle_upload_refused(self, name: str, size: int) -> None:
        """The picker found a file too large to send (or one arrived too large): say so."""
        self._show_error(
            t("dashboard.ui.upload_too_large", name=name, size_mb=size / 2**20, limit_mb=f"{self.upload_limit_mb:g}")
        )

    def _handle_compare_change(self, change: dict) -> None:
        if not self._updating:
            self.compare(change["new"])

    def _handle_language_toggle(self, change: dict) -> None:
        if not self._updating:
            i18n.set_lang(change["new"])

    def _handle_lang_change(self, _lang: str) -> None:
        self._relabel()
        self._redraw()
