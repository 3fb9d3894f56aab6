"""Offline charts, with one chart library per page: :class:`LabChart` for the labs, and every ``alt.JupyterChart``.

The JavaScript that draws a chart (vega, vega-lite, vega-embed and altair's chart code) is about
900 KB. ``alt.JupyterChart.enable_offline()`` puts all of it into every chart widget's ``_esm``, so
a page parsed the bundle once per chart and received it once per chart: 2.9 MB of widget state for a
lesson with three charts, 5.6 MB for lesson 07's six (1.1 MB with one library; lesson 07's first
render, preheated, went from 3.2-3.6 s to 2.4-2.5 s on the 2-core laptop). Loading the bundle was
also each chart's model initialisation, which on a busy laptop could miss anywidget's 2 s deadline
("[anywidget] Failed to initialize model"); the small module here initialises at once.

Here the bundle travels once per kernel, in the state of one invisible :class:`ChartLibrary` widget,
and each chart's ``_esm`` is the few hundred bytes of ``charts.js`` that import it from there, once
per page. Nothing is fetched from a CDN: vl-convert bundles the libraries from its own copies. The
bundle takes about 1.3 s to build on the 2-core workshop laptop, so it is cached on disk, keyed by
the altair and vl-convert versions and by our addition to it.

altair has no public API for this: ``enable_offline_charts()`` sets ``alt.JupyterChart._esm`` and
``_is_offline``, and builds the bundle with the source and Vega-Lite version altair itself uses.
pyproject.toml bounds altair to the releases tests/labs/test_offline_altair.py checks.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import anywidget
import ipywidgets as W
import orjson
import traitlets

__all__ = ["ChartLibrary", "LabChart", "chart_library", "enable_offline_charts", "library_source"]

_HERE = Path(__file__).resolve().parent
#: Appended to altair's chart code before bundling, so that LabChart can embed with the same vega-embed.
_EXPORT_EMBED = "\nexport { vegaEmbed };\n"
_library: ChartLibrary | None = None


def _bundle_key() -> str:
    import vl_convert

    return hashlib.sha256(f"{alt.__version__}|{vl_convert.__version__}|{_EXPORT_EMBED}".encode()).hexdigest()[:16]


def _cache_file() -> Path:
    import platformdirs

    folder = Path(os.environ.get("COMMUNITYLAB_CACHE_DIR") or platformdirs.user_cache_dir("communitylab"))
    return folder / f"chart-library-{_bundle_key()}.js"


def _build_bundle() -> str:
    """altair's chart code plus vega-embed, vega-lite and vega as one offline ES module (as altair bundles it)."""
    import vl_convert
    from altair.jupyter.jupyter_chart import load_js_src
    from altair.utils._importers import vl_version_for_vl_convert

    # altair's own recipe (JupyterChart.enable_offline): drop the CDN imports, vl-convert supplies those names
    lines = load_js_src().split("\n")
    while lines and (not lines[0].strip() or lines[0].startswith(("import", "//"))):
        lines.pop(0)
    return vl_convert.javascript_bundle("\n".join(lines) + _EXPORT_EMBED, vl_version=vl_version_for_vl_convert())


def library_source() -> str:
    """The chart library's source: read from the disk cache, built (and cached) on a miss."""
    cache = _cache_file()
    try:
        source = cache.read_text(encoding="utf-8")
    except OSError:
        source = ""
    if source:
        return source
    source = _build_bundle()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(source, encoding="utf-8")
        partial.replace(cache)  # atomic: two kernels starting together never read half a file
    except OSError:
        pass  # a read-only home only costs the 1.3 s again next time
    return source


class ChartLibrary(W.Widget):
    """An invisible widget whose state is the chart library's source; charts import it from the page.

    One per kernel (:func:`chart_library`). ``key`` is a hash of ``source``: a page imports each
    library once, however many kernels or charts send it.
    """

    source = traitlets.Unicode().tag(sync=True)
    key = traitlets.Unicode().tag(sync=True)


def chart_library() -> ChartLibrary:
    """This kernel's :class:`ChartLibrary`, created on first use (and again if it was closed)."""
    global _library
    if _library is None or _library.comm is None:
        source = library_source()
        _library = ChartLibrary(source=source, key=hashlib.sha256(source.encode()).hexdigest()[:16])
    return _library


@cache
def _charts_js() -> str:
    return (_HERE / "charts.js").read_text(encoding="utf-8")


def _front_end(default_export: str) -> str:
    """``charts.js`` bound to this kernel's library, exporting ``default_export`` (altairChart or labChart)."""
    library = chart_library()
    text = _charts_js()
    text = text.replace("__LIBRARY_ID__", library.model_id).replace("__LIBRARY_KEY__", library.key)
    return text.replace("__DEFAULT_EXPORT__", default_export)


def enable_offline_charts() -> None:
    """Make every ``alt.JupyterChart`` draw with this kernel's shared chart library, never from a CDN."""
    library = chart_library()
    chart_class = alt.JupyterChart
    if getattr(chart_class, "_is_offline", False) and getattr(chart_class, "_library_id", None) == library.model_id:
        return
    chart_class._esm = _front_end("altairChart")
    chart_class._is_offline = True  # altair's jupyter renderer then leaves _esm alone
    chart_class._library_id = library.model_id


def _records_to_json(records: list, _widget: Any) -> memoryview:
    return memoryview(orjson.dumps(records, option=orjson.OPT_SERIALIZE_NUMPY))


def _records_from_json(value: Any, _widget: Any) -> list:
    return orjson.loads(bytes(value)) if isinstance(value, (bytes, memoryview)) else list(value)


class LabChart(anywidget.AnyWidget):
    """A lab's chart: a Vega-Lite template drawn with records that change on every slider move.

    ``template`` is sent when it changes (language, pinned runs); ``records`` on every change. The page replaces the template's dataset ``data_name`` in the running Vega view
    rather than embedding the chart again, so a move costs one small message and one redraw.

    Parameters
    ----------
    template : dict
        Vega-Lite spec (``chart.to_dict()``) reading the named dataset ``data_name``.
    records : list of dict
        The dataset's rows.
    data_name : str
        Name of the dataset in ``template``.
    embed_options : dict, optional
        vega-embed options, e.g. ``{"renderer": "svg", "actions": False}``.
    """

    _esm = traitlets.Unicode().tag(sync=True)
    template = traitlets.Dict().tag(sync=True)
    # sent as one binary buffer of JSON: orjson writes 2,000 rows in 0.2 ms, where ipywidgets' walk of the rows
    # looking for buffers and the kernel's json module took 3-13 ms per slider move (service loop, 2-core laptop)
    records = traitlets.List().tag(sync=True, to_json=_records_to_json, from_json=_records_from_json)
    data_name = traitlets.Unicode("data").tag(sync=True)
    embed_options = traitlets.Dict().tag(sync=True)

    def __init__(
        self,
        template: Mapping[str, Any],
        records: Sequence[Mapping[str, Any]] = (),
        data_name: str = "data",
        embed_options: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            _esm=_front_end("labChart"),
            template=dict(template),
            records=list(records),
            data_name=data_name,
            embed_options=dict(embed_options or {}),
            **kwargs,
        )

    def update(self, records: Sequence[Mapping[str, Any]], template: Mapping[str, Any] | None = None) -> None:
        """Draw new ``records`` (and a new ``template``, if given) in one message."""
        with self.hold_sync():
            if template is not None:
                self.template = dict(template)
            self.records = list(records)

    @property
    def spec(self) -> dict:
        """The Vega-Lite spec now drawn, its dataset included (as ``alt.JupyterChart.spec``)."""
        return {**self.template, "datasets": {self.data_name: self.records}}
