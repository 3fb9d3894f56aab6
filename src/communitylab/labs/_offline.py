"""Offline charts: altair's JupyterChart with its JavaScript bundled locally.

``alt.JupyterChart.enable_offline()`` asks vl-convert to bundle vega, vega-lite
and vega-embed into one ES module (about 1.3 s on the 2-core workshop laptop, at
every kernel start). Without it the chart imports from a CDN and never draws in
a room with no network. We cache the bundle on disk, keyed by the altair and
vl-convert versions, so every kernel after the first starts its charts at once.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import altair as alt

__all__ = ["enable_offline_charts"]


def _cache_file() -> Path:
    import platformdirs
    import vl_convert

    key = hashlib.sha256(f"{alt.__version__}|{vl_convert.__version__}".encode()).hexdigest()[:16]
    folder = Path(os.environ.get("COMMUNITYLAB_CACHE_DIR") or platformdirs.user_cache_dir("communitylab"))
    return folder / f"jupyterchart-offline-{key}.js"


def enable_offline_charts() -> None:
    """Make every ``alt.JupyterChart`` load its JavaScript from the kernel, never from a CDN."""
    chart_class = alt.JupyterChart
    if getattr(chart_class, "_is_offline", False):
        return
    cache = _cache_file()
    try:
        bundle = cache.read_text(encoding="utf-8")
    except OSError:
        bundle = None
    if bundle:
        chart_class._esm = bundle
        chart_class._is_offline = True
        return
    chart_class.enable_offline()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(chart_class._esm, encoding="utf-8")
        partial.replace(cache)  # atomic: two kernels starting together never read half a file
    except OSError:
        pass  # a read-only home only costs the 1.3 s again next time
