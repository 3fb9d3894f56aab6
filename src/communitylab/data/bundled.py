"""Find the synthetic datasets bundled in the repository's ``datasets/`` folder.

The folder sits next to ``src/`` in a checkout (the course is run from one); set
``COMMUNITYLAB_DATASETS`` to use another folder.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["datasets_dir", "bundled_files"]

#: Export files the bundle may hold, by suffix (data cards and scripts are not exports).
_EXPORT_SUFFIXES = (".csv", ".json", ".txt", ".zip")


def datasets_dir() -> Path:
    """The folder of bundled datasets (may not exist in a wheel install)."""
    override = os.environ.get("COMMUNITYLAB_DATASETS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "datasets"


def bundled_files() -> dict[str, Path]:
    """Every bundled export as ``{"<dataset>/<file>": path}``, sorted by name."""
    root = datasets_dir()
    if not root.is_dir():
        return {}
    found = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and (p / "DATACARD.md").exists()):
        for path in sorted(folder.iterdir()):
            if path.suffix in _EXPORT_SUFFIXES:
                found[f"{folder.name}/{path.name}"] = path
    return found
