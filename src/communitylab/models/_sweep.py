"""Parameter sweeps shared by every model: many runs, one tidy table."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

__all__ = ["sweep_model", "run_seeds"]

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


def sweep_model(
    simulate: Callable[[Any, int], Any],
    params: Any,
    field: str,
    values: Iterable[Any],
    runs: int = 1,
    seed: int = 0,
    progress: bool | None = None,
):
    """Run a model for each value of one parameter and collect the summaries.

    Parameters
    ----------
    simulate : callable
        The model's ``simulate(params, seed)``; its result must have ``summary()``.
    params : ModelParams
        Base parameters; ``field`` is replaced by each value in turn.
    field : str
        Name of the parameter to vary.
    values : iterable
        Values of ``field``; each is validated like any parameter.
    runs : int
        Repetitions per value with different seeds (the same seeds for every value,
        so differences between values are not seed noise).
    seed : int
        Root seed of the sweep.
    progress : bool, optional
        Force the progress bar on or off; by default it appears once the sweep
        has taken longer than one second. Never shown inside a Voila app.

    Returns
    -------
    pandas.DataFrame
        One row per (value, run): the swept field, ``run``, ``seed`` and one
        column per summary monitor.
    """
    import pandas as pd  # only here: the simulation kernels stay pandas-free

    if runs < 1:
        raise ValueError(f"runs = {runs!r} must be at least 1")
    values = list(values)
    specs = params.specs()
    if field not in specs:
        raise ValueError(f"{params.model} has no parameter {field!r}; known: {', '.join(specs)}")
    variants = [params.replace(**{field: value}) for value in values]  # validate all before running any
    seeds = run_seeds(seed, runs)
    total = len(variants) * runs
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
    return pd.DataFrame(rows)
