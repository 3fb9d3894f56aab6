"""Serving the course with Voila on one laptop: ``communitylab present``.

Voila runs bound to 127.0.0.1 with our offline template, code cells stripped,
tracebacks hidden from the room, idle kernels culled, and kernels preheated for
the landing page and the lessons of the chosen language, so a trainer's click
opens a lab in about a second instead of five.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from communitylab.course import LANG_FOLDERS, MODULES

__all__ = ["voila_command", "voila_env", "present_main", "LANDING"]

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


def present_main(argv: Sequence[str]) -> int:
    """Serve the course on 127.0.0.1 and print the landing page's URL."""
    parser = argparse.ArgumentParser(prog="communitylab present", description="Serve the course with Voila.")
    parser.add_argument("--root", default=".", help="course folder holding notebooks/ and exercises/ (default .)")
    parser.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    parser.add_argument(
        "--lang",
        choices=["en", "zh_CN", "all", "none"],
        default="en",
        help="which lessons get a preheated kernel (default en)",
    )
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    if not (root / LANDING).exists():
        print(
            f"communitylab present: no {LANDING} under {root}; run it from the course folder or pass --root",
            file=sys.stderr,
        )
        return 2
    langs = {"en": ["en"], "zh_CN": ["zh_CN"], "all": ["en", "zh_CN"], "none": []}[args.lang]
    preheat = [name for name in preheat_notebooks(langs) if (root / name).exists()]
    url = f"http://127.0.0.1:{args.port}/voila/render/{LANDING}"
    print(f"Community Lab is starting. Open {url}", flush=True)
    print(f"  Chinese: {url}?lang=zh_CN    Presenter view: {url}?present=1", flush=True)
    if preheat:
        print(
            f"  Warming up {len(preheat)} lessons; the first clicks are fast once the log says the pools are filled.",
            flush=True,
        )
    print("  Stop with Ctrl+C.", flush=True)
    try:
        return subprocess.call(voila_command(root, args.port, preheat=preheat), cwd=root, env=voila_env())
    except KeyboardInterrupt:
        return 0
