"""Simulation models of the course, one module per model.

Each module exposes ``Params`` (a frozen, validated dataclass), ``simulate(params,
seed)`` returning a result with the whole trajectory and a ``summary()``, and
``sweep(params, field, values, runs)`` returning a tidy DataFrame.
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
