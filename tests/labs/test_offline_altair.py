"""One offline chart library per page (``labs/_offline.py``), and the altair internals it relies on.

``enable_offline_charts()`` builds the chart library the way ``alt.JupyterChart.enable_offline()`` does
(altair's ``load_js_src`` and ``vl_version_for_vl_convert``), caches it on disk, ships it once in a
``ChartLibrary`` widget, and gives ``alt.JupyterChart`` a small ``_esm`` (altair's private class
attributes ``_esm`` and ``_is_offline``) that imports the library from there. No public API does this,
so pyproject.toml bounds altair to the minor releases checked here; these tests fail with a plain
message when a release changes that surface. The probes run in a fresh interpreter, since the switch
is class state shared by the whole process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import altair as alt
import orjson

RAISE = (
    f"altair {alt.__version__} changed what communitylab.labs._offline relies on (JupyterChart's _esm and "
    "_is_offline, altair.jupyter.jupyter_chart.load_js_src, altair.utils._importers.vl_version_for_vl_convert): "
    "adapt labs/_offline.py before raising the altair bound in pyproject.toml"
)

PROBE = """
import json, os, sys
import altair as alt
from communitylab.labs._offline import LabChart, _cache_file, chart_library, enable_offline_charts
before = {"flag": alt.JupyterChart.__dict__.get("_is_offline"), "cdn": 'from "https://esm.sh/' in alt.JupyterChart._esm}
enable_offline_charts()
chart = alt.JupyterChart(alt.Chart().mark_point())
lab = LabChart({"mark": "line", "data": {"name": "lab"}}, [{"x": 1}], data_name="lab")
library = chart_library()
json.dump({"before": before, "after": alt.JupyterChart._is_offline, "chart_esm": chart._esm, "lab_esm": lab._esm,
           "library_id": library.model_id, "library": library.source, "cache": _cache_file().read_text(encoding="utf-8"),
           "cache_mtime": os.stat(_cache_file()).st_mtime_ns}, sys.stdout)
"""


def _probe(cache_dir) -> dict:
    env = {"COMMUNITYLAB_CACHE_DIR": str(cache_dir), "PATH": "/usr/bin:/bin"}
    if "PYTHONPATH" in os.environ:  # a worktree's source first, as the test run has it
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, f"{RAISE}\n{done.stderr[-2000:]}"
    return json.loads(done.stdout)


def test_private_attributes_are_still_there():
    from altair.jupyter.jupyter_chart import load_js_src
    from altair.utils._importers import vl_version_for_vl_convert

    assert isinstance(alt.JupyterChart.__dict__.get("_esm"), str), RAISE
    assert isinstance(alt.JupyterChart.__dict__.get("_is_offline"), bool), RAISE
    assert "async function render" in load_js_src() and "export default" in load_js_src(), RAISE
    assert vl_version_for_vl_convert().startswith("v"), RAISE


def test_every_chart_imports_one_cached_offline_library(tmp_path):
    first = _probe(tmp_path)  # no cache yet: the library is built with vl-convert and stored
    assert first["before"] == {"flag": False, "cdn": True}, RAISE
    assert first["after"] is True, RAISE
    assert first["library"] == first["cache"]
    # the library is altair's chart code and vega-embed, bundled: no import from a CDN
    assert "vegaEmbed" in first["library"] and 'from "https://' not in first["library"]
    # each chart carries only the small module that imports this kernel's library, never the 900 KB bundle
    for esm in (first["chart_esm"], first["lab_esm"]):
        assert len(esm) < 10_000 and first["library_id"] in esm and "https://" not in esm
    assert "export default altairChart" in first["chart_esm"] and "export default labChart" in first["lab_esm"]

    second = _probe(tmp_path)  # a later kernel: the library comes from the cache, not rebuilt
    assert second["library"] == first["library"] and second["cache_mtime"] == first["cache_mtime"]


def test_lab_chart_sends_records_as_one_json_buffer():
    from ipywidgets.widgets.widget import _remove_buffers

    from communitylab.labs._offline import LabChart

    records = [{"panel": "members", "scenario": "live", "day": d, "value": 0.5 * d} for d in range(3)]
    chart = LabChart({"mark": "line", "data": {"name": "lab"}}, data_name="lab")
    chart.update(records, template={"mark": "line", "data": {"name": "lab"}, "title": "t"})
    _state, paths, buffers = _remove_buffers(chart.get_state())
    assert ["records"] in paths and orjson.loads(bytes(buffers[paths.index(["records"])])) == records
    assert chart.spec == {"mark": "line", "data": {"name": "lab"}, "title": "t", "datasets": {"lab": records}}
