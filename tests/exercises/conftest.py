"""Shared fixtures of the exercise tests: progress goes to a temporary folder, language resets."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from communitylab.exercises import MODULES
from communitylab.i18n import set_lang

SRC = Path(__file__).resolve().parents[2] / "src" / "communitylab" / "exercises"


def available_modules() -> list[str]:
    """Course modules whose exercise file exists (m01.py ... m06.py)."""
    return [number for number, path in MODULES.items() if (SRC / f"{path.rsplit('.', 1)[-1]}.py").exists()]


def all_exercises():
    """(module, exercise) for every declared exercise."""
    found = []
    for number in available_modules():
        module = importlib.import_module(MODULES[number])
        found += [(number, exercise) for exercise in module.EXERCISES]
    return found


@pytest.fixture(autouse=True)
def private_progress(tmp_path, monkeypatch):
    """Never write into the real user data folder; start each test in English."""
    folder = tmp_path / "progress"
    monkeypatch.setenv("COMMUNITYLAB_PROGRESS_DIR", str(folder))
    monkeypatch.setenv("COMMUNITYLAB_LEARNER", "tester")
    set_lang("en")
    yield folder
    set_lang(None)
