"""Serving the course with Voila on one laptop (what ``communitylab present`` runs).

Voila runs bound to 127.0.0.1 with our offline template, code cells stripped,
tracebacks hidden from the room, idle kernels culled, and kernels preheated for
the landing page and the lessons of the chosen language, so a trainer's click
opens a lab in about a second instead of five.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from communitylab.course import LANG_FOLDERS, MODULES

__all__ = ["voila_command", "voila_env", "preheat_notebooks", "LANDING"]

#: The landing notebook, relative to the course root.
LANDING = "notebooks/index.ipynb"
TEMPLATE = "communitylab"


def template_root() -> Path:
    """The ``share/jupyter`` folder holding our Voila template (added to ``JUPYTER_PATH``)."""
    return Path(str(resources.files("communitylab") / "share" / "jupyter"))


def voila_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a Voila process that finds our template."""
    env = dict(os.environ if base is None else base)
    extra = str(template_root())
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (extra, env.get("JUPYTER_PATH", "")) if p)
    return env


def preheat_notebooks(langs: Sequence[str]) -> list[str]:
    """Course-root-relative notebooks worth a preheated kernel: the landing page and each lesson."""
    names = [LANDING]
    for lang in langs:
        names += [f"notebooks/{LANG_FOLDERS[lang]}/{module.notebook}" for module in MODULES]
    return names


def voila_command(
    target: str | Path,
    port: int,
    *,
    preheat: Sequence[str] = (),
    cull_idle_seconds: int = 1800,
) -> list[str]:
    """The ``voila`` command line that serves ``target`` (a notebook or a folder).

    Parameters
    ----------
    target : path
        Notebook to serve alone, or the course folder to serve as a tree.
    port : int
        TCP port on 127.0.0.1.
    preheat : sequence of str
        Notebooks (relative to ``target`` when it is a folder) that get one
        preheated kernel each; empty for none.
    cull_idle_seconds : int
        Shut down kernels idle this long (a room of learners leaves many tabs open).
    """
    command = [
        sys.executable,
        "-m",
        "voila",
        str(target),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--show_tracebacks=False",
        "--strip_sources=True",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_seconds}",
        "--MappingKernelManager.cull_interval=60",
        # The course never needs files larger than a chat export; uploads are limited in the dashboard itself.
        "--VoilaExecutor.timeout=120",
    ]
    if preheat:
        # Voila preheats every notebook under a folder unless told otherwise: a pool of 0 by default,
        # 1 for the notebooks named.
        pools = {"default": {"pool_size": 0}, **{name: {"pool_size": 1} for name in preheat}}
        command += ["--preheat_kernel=True", f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}"]
    return command
