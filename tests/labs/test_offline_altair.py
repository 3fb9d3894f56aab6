"""altair's private offline switch, on which ``labs/_offline.py`` relies, still works as we use it.

``enable_offline_charts()`` caches the JavaScript bundle that ``alt.JupyterChart.enable_offline()``
builds and, in later kernels, sets it back with altair's private class attributes ``_esm`` and
``_is_offline``. No public API does this, so pyproject.toml pins altair to the minor releases checked
here (``<6.4``); these tests fail with a plain message when a release changes the private surface.
Each runs in a fresh interpreter, since the switch is class state shared by the whole process.
"""

from __future__ import annotations

import json
import subprocess
import sys

import altair as alt

RAISE = (
    f"altair {alt.__version__} changed JupyterChart's private offline attributes (_esm, _is_offline) "
    "that communitylab.labs._offline relies on: adapt enable_offline_charts() before raising the altair "
    "bound in pyproject.toml"
)

PROBE = """
import json, sys
import altair as alt
from communitylab.labs._offline import _cache_file, enable_offline_charts
before = {"esm": isinstance(alt.JupyterChart.__dict__.get("_esm"), str),
          "flag": alt.JupyterChart.__dict__.get("_is_offline"),
          "cdn": 'from "https://esm.sh/' in alt.JupyterChart._esm}
enable_offline_charts()
chart = alt.JupyterChart(alt.Chart().mark_point())
json.dump({"before": before, "after": alt.JupyterChart._is_offline, "instance_esm": chart._esm,
           "cache": _cache_file().read_text(encoding="utf-8")}, sys.stdout)
"""


def _probe(cache_dir) -> dict:
    env = {"COMMUNITYLAB_CACHE_DIR": str(cache_dir), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, f"{RAISE}\n{done.stderr[-2000:]}"
    return json.loads(done.stdout)


def test_private_attributes_are_still_there():
    assert isinstance(alt.JupyterChart.__dict__.get("_esm"), str), RAISE
    assert isinstance(alt.JupyterChart.__dict__.get("_is_offline"), bool), RAISE
    assert "offline" in alt.JupyterChart.enable_offline.__code__.co_varnames, RAISE


def test_cached_bundle_is_what_altair_builds_and_what_a_chart_loads(tmp_path):
    first = _probe(tmp_path)  # no cache yet: altair's enable_offline() builds the bundle, we store it
    assert first["before"] == {"esm": True, "flag": False, "cdn": True}, RAISE
    assert first["after"] is True, RAISE
    assert first["instance_esm"] == first["cache"], RAISE
    second = _probe(tmp_path)  # a later kernel: the bundle comes from the cache, set via _esm
    assert second["after"] is True, RAISE
    assert second["instance_esm"] == first["cache"], RAISE
    # offline: the default module imports vega-embed from a CDN (checked above); the chart's does not
    assert 'from "https://' not in second["instance_esm"]
