"""Simulation models of the course, one module (or package) per model, all of one shape.

Each model exposes ``Params`` (a frozen, validated dataclass), ``simulate(params,
seed)`` returning a ``Result`` with the whole run and a ``summary()`` of monitors,
``sweep(params, field, values, runs)`` returning a tidy DataFrame, and ``MODEL``:
its name (also the prefix of its catalog keys), its published sources and its
course assumptions. The shape is defined once, in :mod:`communitylab.models._model`:
a new model is its equations and its metadata in that shape, listed in :data:`MODELS`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Model name -> module path, in course order. Labs, the CLI and exercises look models up here.
MODELS: dict[str, str] = {
    "attention": "communitylab.models.attention",
    "service_loop": "communitylab.models.service_loop",
    "participation": "communitylab.models.participation",
    "monetization": "communitylab.models.monetization",
    "brand": "communitylab.models.brand",
    "migration": "communitylab.models.migration",
    "community": "communitylab.models.community",
}


def get_model(name: str) -> ModuleType:
    """Import a model module by its short name, with a clear error for unknown names."""
    if name not in MODELS:
        raise KeyError(f"unknown model {name!r}; known models: {', '.join(MODELS)}")
    return importlib.import_module(MODELS[name])


def available_models() -> list[str]:
    """Names of the models whose modules exist in this installation."""
    found = []
    for name, path in MODELS.items():
        try:
            importlib.import_module(path)
        except ModuleNotFoundError as error:
            if error.name != path:
                raise
        else:
            found.append(name)
    return found
