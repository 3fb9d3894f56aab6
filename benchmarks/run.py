"""Run the benchmarks and merge their figures into ``benchmarks/results.json``.

Each ``benchmarks/bench_<name>.py`` defines ``run() -> dict`` returning plain JSON
figures (times in milliseconds unless the key says otherwise). Sections not run
this time keep their previous figures, each stamped with when and where it ran.

Usage: ``python benchmarks/run.py [NAME ...]`` (default: all sections).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def _sections() -> dict[str, Path]:
    return {path.stem.removeprefix("bench_"): path for path in sorted(HERE.glob("bench_*.py"))}


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(HERE))
    spec.loader.exec_module(module)
    return module


def main(names: list[str]) -> int:
    sections = _sections()
    unknown = [n for n in names if n not in sections]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(sections)}", file=sys.stderr)
        return 2
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine()}
    for name in names or list(sections):
        print(f"== {name}", flush=True)
        figures = _load(sections[name]).run()
        figures["_ran_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        figures["_machine"] = machine
        results[name] = figures
        print(json.dumps(figures, indent=2, ensure_ascii=False), flush=True)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
