"""Comparing a learner's answer with the expected one, and describing it in a few characters."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["is_number", "close", "kind_of", "short_repr", "resolve"]


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def close(answer: Any, expected: Any, rel_tol: float, abs_tol: float) -> bool:
    """Whether ``answer`` equals ``expected`` within tolerance, recursively.

    Numbers compare with ``math.isclose``; strings ignoring case and surrounding
    spaces; sequences and arrays element by element (same length); dicts key by key.
    """
    if is_number(expected):
        return is_number(answer) and math.isclose(float(answer), float(expected), rel_tol=rel_tol, abs_tol=abs_tol)
    if isinstance(expected, (bool, np.bool_)):
        return isinstance(answer, (bool, np.bool_)) and bool(answer) == bool(expected)
    if isinstance(expected, str):
        return isinstance(answer, str) and answer.strip().casefold() == expected.strip().casefold()
    if isinstance(expected, Mapping):
        return (
            isinstance(answer, Mapping)
            and set(answer) == set(expected)
            and all(close(answer[k], expected[k], rel_tol, abs_tol) for k in expected)
        )
    if isinstance(expected, (list, tuple, np.ndarray)):
        if isinstance(answer, (str, bytes, Mapping)) or not isinstance(answer, (Sequence, np.ndarray)):
            return False
        a = np.asarray(answer, dtype=object).ravel() if not isinstance(answer, np.ndarray) else answer.ravel()
        e = np.asarray(expected, dtype=object).ravel() if not isinstance(expected, np.ndarray) else expected.ravel()
        return len(a) == len(e) and all(close(x, y, rel_tol, abs_tol) for x, y in zip(a, e))
    return answer == expected


def kind_of(value: Any) -> str:
    if is_number(value):
        return "number"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "dict"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "list"
    return type(value).__name__


def short_repr(value: Any, limit: int = 60) -> str:
    """A compact, stable description of an answer for the progress file."""
    if is_number(value):
        text = f"{float(value):.4g}"
    elif isinstance(value, str):
        text = repr(value.strip())
    elif isinstance(value, Mapping):
        text = (
            "{"
            + ", ".join(f"{k}={short_repr(v, 20)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0])))
            + "}"
        )
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(short_repr(v, 20) for v in value) + "]"
    elif callable(value):
        text = "<function>"
    elif hasattr(value, "shape"):
        text = f"<{type(value).__name__} {getattr(value, 'shape', '')}>"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def resolve(expected: Any) -> Any:
    """Expected values may be given as a zero-argument function (computed once, on first check)."""
    return expected() if callable(expected) else expected
