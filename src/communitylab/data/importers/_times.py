"""Reading the times of an export: Unix seconds, ISO 8601 and local formats, in a time zone.

Every parser works on a whole column at once and gives NaT where a value cannot be read;
:func:`bad_times` marks those rows and dates outside :data:`EARLIEST_YEAR` ..
:data:`LATEST_YEAR`, which :func:`~._finish.finish` drops with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ._options import ChatImportError

#: Plausible years of a chat message; other dates are dropped as damaged.
EARLIEST_YEAR, LATEST_YEAR = 1990, 2099


def validate_zone(tz: str) -> str:
    """Return ``tz`` if pandas knows it, else raise :class:`ChatImportError`."""
    try:
        pd.Timestamp("2020-01-01").tz_localize(tz)
    except Exception:  # pandas raises several types for unknown zones
        raise ChatImportError(
            f"Unknown time zone {tz!r}. Use a name such as 'UTC', 'Europe/Berlin' or 'Asia/Shanghai'."
        ) from None
    return tz


def localize(naive: pd.Series, tz: str) -> pd.Series:
    """Attach ``tz`` to naive local times.

    Times that fall into a daylight-saving gap move forward; times in the repeated autumn
    hour are read as standard time, so no message is lost to a clock change.
    """
    naive = pd.to_datetime(naive, errors="coerce")
    return naive.dt.tz_localize(tz, ambiguous=np.zeros(len(naive), dtype=bool), nonexistent="shift_forward")


_DECIMAL_SECONDS = r"^\s*(\d{1,11})(?:\.(\d{0,9})\d*)?\s*$"


def from_epoch_seconds(values: pd.Series, tz: str) -> pd.Series:
    """Unix times (seconds, possibly fractional; text or numbers) as aware times in ``tz``.

    Seconds written as decimal text ("1712345678.000001", Slack's ``ts``) are read exactly:
    the whole seconds and the fraction digits are parsed as integers and combined into
    nanoseconds, so no float rounding noise (``...78.000001024``) creeps in. Numbers and
    other notations go through floats, rounded to whole microseconds.
    """
    min_ns = np.iinfo(np.int64).min  # int64 min is NaT
    try:  # whole seconds as text, the common case: numpy converts them five times faster
        whole = values.to_numpy(dtype=object).astype(np.int64)
        nanos = np.where((whole > 630_000_000) & (whole < 4_100_000_000), whole * 1_000_000_000, min_ns)
    except (ValueError, TypeError, OverflowError):
        nanos = _decimal_nanos(values)
    utc = pd.DatetimeIndex(nanos.view("datetime64[ns]")).tz_localize("UTC")
    return pd.Series(utc.tz_convert(tz), index=values.index)


def _decimal_nanos(values: pd.Series) -> np.ndarray:
    """Nanoseconds since the epoch, exact for decimal text; NaT (int64 min) when unreadable."""
    min_ns = np.iinfo(np.int64).min
    nanos = np.full(len(values), min_ns, dtype=np.int64)
    text = values.map(lambda v: v if isinstance(v, str) else None).astype("string")
    parts = text.str.extract(_DECIMAL_SECONDS)
    exact = parts[0].notna().to_numpy()
    if exact.any():
        whole = parts[0][exact].astype(np.int64).to_numpy()
        fraction = parts[1][exact].fillna("").str.ljust(9, "0").replace("", "0").astype(np.int64).to_numpy()
        ok = (whole > 630_000_000) & (whole < 4_100_000_000)
        nanos[np.flatnonzero(exact)[ok]] = whole[ok] * 1_000_000_000 + fraction[ok]
    rest = ~exact
    if rest.any():  # numbers, exponents ...: floats, rounded to whole microseconds
        seconds = pd.to_numeric(values[rest], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        # Outside 1990..2100 is a corrupt value, not a chat message.
        valid = (seconds > 6.3e8) & (seconds < 4.1e9)
        part = np.full(len(seconds), min_ns, dtype=np.int64)
        part[valid] = np.round(seconds[valid] * 1e6).astype(np.int64) * 1000
        nanos[rest] = part
    return nanos


def parse_iso(values: pd.Series, tz: str) -> pd.Series:
    """ISO 8601 times with or without offset; naive ones are taken as local time in ``tz``."""
    text = values.astype("string")
    has_offset = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=False).to_numpy()
    out = pd.Series(pd.NaT, index=values.index, dtype=f"datetime64[ns, {tz}]")
    if has_offset.any():
        aware = pd.to_datetime(text[has_offset], format="ISO8601", utc=True, errors="coerce")
        out[has_offset] = aware.dt.tz_convert(tz)
    if (~has_offset).any():
        naive = pd.to_datetime(text[~has_offset], format="ISO8601", errors="coerce")
        if naive.dt.tz is not None:  # pragma: no cover - guarded by has_offset
            naive = naive.dt.tz_localize(None)
        out[~has_offset] = localize(naive, tz)
    return out


def parse_local(values: pd.Series, tz: str, formats: Iterable[str]) -> pd.Series:
    """Local times in one of ``formats`` (tried in order, each in bulk), then ``tz`` attached."""
    text = values.astype("string")
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    todo = text.notna().to_numpy()
    for fmt in formats:
        if not todo.any():
            break
        attempt = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        # pandas may read a damaged year (3023) at a coarser unit; such a time cannot be held
        # in nanoseconds, so it counts as unreadable rather than stopping the import.
        year = attempt.dt.year
        parsed[todo] = attempt.where((year > 1677) & (year < 2262)).astype("datetime64[ns]")
        todo = todo & parsed.isna().to_numpy() & text.notna().to_numpy()
    return localize(parsed, tz)


def bad_times(stamps: pd.Series) -> np.ndarray:
    """Rows whose time is missing or damaged (dropped by :func:`finish`)."""
    # A year outside 1990..2099 is a damaged date, not a chat message (and would not fit the
    # nanosecond timestamps of the table).
    year = stamps.dt.year
    return (stamps.isna() | (year < EARLIEST_YEAR) | (year > LATEST_YEAR)).to_numpy(dtype=bool, na_value=True)
