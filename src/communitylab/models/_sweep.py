"""Running one model many times for a sweep: reproducible seeds and a progress bar for slow sweeps."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["run_seeds", "sweep_rows"]

# Show a progress bar only when a sweep is slow enough for a person to wonder.
_PROGRESS_AFTER_S = 1.0


def _in_voila() -> bool:
    """Whether this kernel serves a Voila app (Voila sets VOILA_BASE_URL in every kernel it starts).

    A trainer's app hides the code that runs a sweep, so a progress bar there only adds a widget.
    """
    return "VOILA_BASE_URL" in os.environ


def run_seeds(seed: int, runs: int) -> list[int]:
    """Independent, reproducible seeds for ``runs`` repetitions derived from ``seed``."""
    children = np.random.SeedSequence(seed).spawn(runs)
    return [int(child.generate_state(1)[0]) for child in children]


def sweep_rows(
    simulate: Callable[[Any, int], Any],
    variants: Sequence[Any],
    field: str,
    seeds: Sequence[int],
    progress: bool | None,
) -> list[dict[str, Any]]:
    """Run every variant with every seed and collect one row of summary monitors per run.

    Parameters
    ----------
    simulate : callable
        The model's ``simulate(params, seed)``; its result must have ``summary()``.
    variants : sequence of ModelParams
        The parameters of each value of the swept ``field``, already validated.
    field : str
        Name of the swept parameter (the first column of each row).
    seeds : sequence of int
        Seeds of the runs, the same for every variant (so differences between
        values are not seed noise).
    progress : bool, optional
        Force the progress bar on or off; by default it appears once the sweep has
        taken longer than one second. Never shown inside a Voila app.

    Returns
    -------
    list of dict
        ``{field: value, "run": index, "seed": seed, **summary}`` per run, variants in order.
    """
    total = len(variants) * len(seeds)
    rows: list[dict[str, Any]] = []
    bar = None
    started = time.perf_counter()
    for variant in variants:
        for run, run_seed in enumerate(seeds):
            summary = simulate(variant, run_seed).summary()
            rows.append({field: getattr(variant, field), "run": run, "seed": run_seed, **summary})
            if (
                bar is None
                and progress is not False
                and not _in_voila()
                and (progress or time.perf_counter() - started > _PROGRESS_AFTER_S)
            ):
                from tqdm.auto import tqdm

                # leave=True: closing a notebook bar with leave=False removes its widget model while the
                # front end may still ask for it ("widget model not found" in the console).
                bar = tqdm(total=total, initial=len(rows), desc=f"sweep {field}", leave=True)
            elif bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return rows
