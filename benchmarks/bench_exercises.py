"""Time of ``q.check(answer)`` for every simulation-target exercise, at the exercise's own (default) sizes.

Each exercise is checked with its own solution (the path a learner who succeeds
takes: the model runs on every seed the target names) through the view, exactly
as ``q.check()`` does in a notebook, minus the display. Progress records go to a
temporary folder. Target: median <= 200 ms per check.
"""

from __future__ import annotations

import importlib
import os
import tempfile

from timing import time_calls

REPEATS = 15
TARGET_MS = 200.0


def run() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["COMMUNITYLAB_PROGRESS_DIR"] = folder
        from communitylab.exercises import MODULES, ____
        from communitylab.exercises.view import ExerciseView

        figures: dict = {"target_ms": TARGET_MS, "repeats": REPEATS, "checks": {}}
        for path in MODULES.values():
            try:
                module = importlib.import_module(path)
            except ModuleNotFoundError:
                continue
            for exercise in module.EXERCISES:
                if exercise.kind != "target":
                    continue
                namespace: dict = {"____": ____}
                exec(module.SETUP, namespace)
                exec(exercise.solution, namespace)
                answer = namespace[exercise.name]
                view = ExerciseView(exercise)
                assert view.evaluate(answer).correct, exercise.id
                timing = time_calls(
                    lambda view=view, answer=answer: view.check_feedback(answer), repeats=REPEATS, warmup=2
                )
                timing["seeds"] = len(exercise.check.seeds)
                timing["model"] = exercise.check.model
                figures["checks"][exercise.id] = timing
        medians = [t["median_ms"] for t in figures["checks"].values()]
        figures["worst_median_ms"] = max(medians) if medians else None
        figures["all_within_target"] = bool(medians) and max(medians) <= TARGET_MS
        return figures
