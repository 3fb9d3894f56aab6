"""``communitylab present``: serve the course in Voila and tell the trainer where to open it."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from communitylab.cli import EXIT_USAGE
from communitylab.serve import LANDING, preheat_notebooks, voila_command, voila_env

__all__ = ["run"]

#: ``--lang`` choice -> languages whose lessons get a preheated kernel.
PREHEAT_LANGS = {"en": ["en"], "zh_CN": ["zh_CN"], "all": ["en", "zh_CN"], "none": []}


def run(args: argparse.Namespace) -> int:
    """Serve the course on 127.0.0.1 and print the landing page's URL."""
    root = Path(args.root).resolve()
    if not (root / LANDING).exists():
        print(
            f"communitylab present: no {LANDING} under {root}; run it from the course folder or pass --root",
            file=sys.stderr,
        )
        return EXIT_USAGE
    preheat = [name for name in preheat_notebooks(PREHEAT_LANGS[args.lang]) if (root / name).exists()]
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
