"""What every writer reads from the ``Messages`` table: kinds, texts, local and Unix times,
and author ids shaped like the source's (a keyed hash of ``author_id``, so they stay stable)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
import pandas as pd


def _digits(value: str, salt: str, width: int) -> str:
    """A stable decimal string of ``width`` digits derived from ``value``."""
    digest = hashlib.blake2b(f"{salt}:{value}".encode(), digest_size=16).digest()
    return str(int.from_bytes(digest, "big"))[:width].rjust(width, "1")


def _token(value: str, salt: str, width: int, alphabet: str = "0123456789abcdefghijklmnopqrstuvwxyz") -> str:
    number = int.from_bytes(hashlib.blake2b(f"{salt}:{value}".encode(), digest_size=16).digest(), "big")
    out = []
    for _ in range(width):
        number, rest = divmod(number, len(alphabet))
        out.append(alphabet[rest])
    return "".join(out)


def _id_map(authors: pd.Series, make: Callable[[str], str]) -> dict[str, str]:
    return {a: make(a) for a in pd.unique(authors.dropna())}


def _kinds(messages: pd.DataFrame) -> np.ndarray:
    return messages["kind"].astype(object).to_numpy()


def _texts(messages: pd.DataFrame) -> np.ndarray:
    return messages["text"].astype(object).where(messages["text"].notna(), "").to_numpy().copy()


def _local(messages: pd.DataFrame) -> pd.Series:
    """Timestamps as local wall time of the table's own zone (the exporting computer's clock)."""
    return messages["timestamp"].dt.tz_localize(None)


def _unix_seconds(messages: pd.DataFrame) -> np.ndarray:
    return messages["timestamp"].dt.as_unit("ns").astype("int64").to_numpy() // 10**9


def _optional(column: pd.Series) -> np.ndarray:
    return column.astype(object).where(column.notna(), None).to_numpy()
