"""Find the synthetic datasets bundled with the course in its ``datasets/`` folder.

The datasets belong to the course folder, not to the installed package (a wheel
holds no ``datasets/``). The folder is, in order:

1. ``COMMUNITYLAB_DATASETS``, when set (an override for another copy);
2. ``<course root>/datasets``, where the course root is ``COMMUNITYLAB_ROOT``
   (``communitylab present --root`` sets it for every kernel it starts);
3. the nearest ``datasets/`` above the current folder (a lesson runs in
   ``notebooks/en/``, so JupyterLab finds the course's own copy);
4. the checkout's ``datasets/`` beside ``src/``, for an editable install.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["datasets_dir", "bundled_files"]

#: Export files the bundle may hold, by suffix (data cards and scripts are not exports).
_EXPORT_SUFFIXES = (".csv", ".json", ".txt", ".zip")


def _is_bundle(folder: Path) -> bool:
    """Whether ``folder`` holds at least one dataset with its data card."""
    return folder.is_dir() and any((child / "DATACARD.md").is_file() for child in folder.iterdir() if child.is_dir())


def datasets_dir() -> Path:
    """The folder of bundled datasets (see the module docstring for the order searched)."""
    override = os.environ.get("COMMUNITYLAB_DATASETS")
    if override:
        return Path(override)
    root = os.environ.get("COMMUNITYLAB_ROOT")
    if root:
        return Path(root) / "datasets"
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_bundle(folder / "datasets"):
            return folder / "datasets"
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
