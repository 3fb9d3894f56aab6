"""Pinned runs and the scenario table of a lab: ghost lines to compare against, and their CSV export.

A mixin of :class:`~communitylab.labs._base.ModelLab`, which owns the live run (``_result``, ``_seed``), the
pins list ``_pins`` of ``(name, result, seed)``, ``series_frame`` and ``_show_result``; this part only keeps,
names, tabulates and exports the pinned runs.
"""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as W

from communitylab.i18n import t

__all__ = ["MAX_PINS", "ScenarioPins"]

#: How many runs can be pinned at once; more ghost lines stop being readable.
MAX_PINS = 4


class ScenarioPins:
    """Pin the current run as a ghost line (A, B, ...), list the pins, and export them with the live run as CSV."""

    _pins: list[tuple[str, Any, int]]
    _export_link: W.HTML

    def pin(self, name: str | None = None) -> str:
        """Keep the current run as a ghost line; returns its name (A, B, ...)."""
        if len(self._pins) >= MAX_PINS:
            self._pins.pop(0)
        used = {pinned[0] for pinned in self._pins}
        name = name or next(letter for letter in "ABCDEFGH" if letter not in used)
        self._pins.append((name, self._result, self._seed))
        self._show_result(elapsed_ms=None)
        return name

    def clear_pins(self) -> None:
        """Forget every pinned run."""
        self._pins.clear()
        self._show_result(elapsed_ms=None)

    @property
    def pinned(self) -> list[tuple[str, Any]]:
        """Pinned runs as ``(name, result)`` pairs, oldest first."""
        return [(name, result) for name, result, _ in self._pins]

    def scenarios_frame(self):
        """Pinned runs and the live run as a tidy table: scenario, day, series, value, and every parameter."""
        import pandas as pd

        frames = []
        for name, result, seed in [*self._pins, (t("common.live"), self._result, self._seed)]:
            frame = self.series_frame(result)
            frame.insert(0, "scenario", name)
            frame["seed"] = seed
            for field, value in result.params.to_dict().items():
                frame[field] = value
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def export_scenarios(self, path: str | None = None) -> str:
        """Pinned and live runs as CSV text; also written to ``path`` when given."""
        text = self.scenarios_frame().to_csv(index=False)
        if path is not None:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        return text

    def _handle_export_click(self, _button: W.Button) -> None:
        # built on demand: a CSV of every pinned run is too slow to rebuild on each slider move
        payload = base64.b64encode(self.export_scenarios().encode("utf-8")).decode("ascii")
        self._export_link.value = (
            f'<a class="cl-export" download="{self.model.Params.model}-scenarios.csv" '
            f'href="data:text/csv;base64,{payload}">⬇ {self.model.Params.model}-scenarios.csv</a>'
        )
