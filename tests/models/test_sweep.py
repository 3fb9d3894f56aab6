"""The shared sweep (``Model.sweep``): tidy table, shared seeds, progress bar rules."""

import pytest

from communitylab.models import attention
from communitylab.models._sweep import run_seeds

SMALL = attention.Params(members=200, days=30)


def test_seeds_are_reproducible_and_distinct():
    assert run_seeds(7, 4) == run_seeds(7, 4)
    assert len(set(run_seeds(7, 4))) == 4
    assert run_seeds(7, 4) != run_seeds(8, 4)


def test_forced_progress_bar_is_shown_in_jupyter(monkeypatch):
    import tqdm.auto

    made = []
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    monkeypatch.setattr(tqdm.auto, "tqdm", lambda **kwargs: made.append(kwargs) or _Bar())
    attention.sweep(SMALL, "niche_width", [0.1, 0.2], progress=True)
    assert made and made[0]["total"] == 2 and made[0]["leave"] is True


def test_no_progress_bar_inside_voila(monkeypatch):
    import tqdm.auto

    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.setattr(tqdm.auto, "tqdm", lambda **kwargs: pytest.fail("no bar in a Voila app"))
    table = attention.sweep(SMALL, "niche_width", [0.1, 0.2], progress=True)
    assert len(table) == 2


def test_runs_must_be_positive():
    with pytest.raises(ValueError, match="runs = 0"):
        attention.sweep(SMALL, "niche_width", [0.1], runs=0)


class _Bar:
    def update(self, _):
        pass

    def close(self):
        pass
