"""Shared parts of the importers: the error class, safe file opening, and the last steps
every import goes through (drop unreadable times, drop repeated ids, sort, pseudonymise).

Peak memory
-----------
Importers never build a list of per-message dicts. They append each field to its own
Python list (or, for CSV, work on pandas chunks of :data:`CSV_CHUNK_ROWS` rows) and turn
the lists into one pandas column at a time. The message strings themselves are shared
between the lists and the final columns, so a 1,000,000-message export costs about one
copy of its text plus a few pointer arrays; the largest transient is one chunk of raw
file text (:data:`TEXT_CHUNK_CHARS`) or one CSV chunk.
"""

from __future__ import annotations

import codecs
import gc
import multiprocessing
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from communitylab.data.pseudonymise import Pseudonymiser, mask_series
from communitylab.data.schema import COLUMNS, EVENT_KINDS, KINDS, SOURCES, ImportReport

#: Default limit on the size of one export (bytes): 2 GiB. Override with ``max_bytes``.
DEFAULT_MAX_BYTES: int = 2 * 1024**3
#: Rows per pandas chunk when reading CSV.
CSV_CHUNK_ROWS: int = 250_000
#: Plausible years of a chat message; other dates are dropped as damaged.
EARLIEST_YEAR, LATEST_YEAR = 1990, 2099
#: Characters of raw text read at a time by the streaming JSON reader.
TEXT_CHUNK_CHARS: int = 4 * 1024**2
#: Bytes looked at to guess the encoding and the format.
SNIFF_BYTES: int = 256 * 1024


class ChatImportError(ValueError):
    """A chat export that cannot be imported at all, with a message meant for a learner.

    Raised for unknown formats, unreadable encodings, empty, truncated or oversized files.
    Single bad records are not errors: they are dropped and listed in the import report.
    """


@dataclass
class Options:
    """Settings every importer receives from :func:`~communitylab.data.importers.read_chat`."""

    tz: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    pseudonymise: bool = True
    secret: bytes | str | None = None
    language: str = "en"
    keep_own: frozenset[str] = field(default_factory=frozenset)
    project: str = "default"

    def zone(self, default: str) -> str:
        """The time zone to use: the caller's, else the source's documented default."""
        return self.tz or default


def display_name(path: Path | str) -> str:
    """File name shown in problems (the base name: a full path may reveal a user name)."""
    return Path(path).name or str(path)


def check_size(path: Path, max_bytes: int) -> int:
    """Raise :class:`ChatImportError` if ``path`` is missing, empty or larger than ``max_bytes``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ChatImportError(f"Cannot open {display_name(path)}: {exc.strerror or exc}.") from None
    if size == 0:
        raise ChatImportError(f"{display_name(path)} is empty: there are no messages to import.")
    check_total(size, max_bytes, display_name(path))
    return size


def check_total(size: int, max_bytes: int, name: str) -> None:
    """Raise :class:`ChatImportError` if ``size`` bytes exceed ``max_bytes``."""
    if size > max_bytes:
        raise ChatImportError(
            f"{name} is {_human(size)}, more than the limit of {_human(max_bytes)}. "
            "Export a shorter date range, or raise the limit with max_bytes=... if this machine has the memory."
        )


def _human(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"  # pragma: no cover


def sniff_encoding(head: bytes, name: str, *, allow_gb18030: bool = True) -> str:
    """Guess the text encoding from the first bytes of a file.

    UTF-8 (with or without byte-order mark) is tried first; GB18030 (a superset of GBK and
    GB2312, what Excel on a Chinese Windows saves) second.

    Raises
    ------
    ChatImportError
        If neither decodes the sample.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    candidates = ("utf-8", "gb18030") if allow_gb18030 else ("utf-8",)
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            # final=False: the sample may end in the middle of a multi-byte character.
            decoder.decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ChatImportError(
        f"{name} is not text in a known encoding (tried UTF-8"
        + (" and GB18030" if allow_gb18030 else "")
        + "). Re-export the chat, or save the file as UTF-8."
    )


def open_text(path: Path, *, allow_gb18030: bool = True) -> tuple[IO[str], str]:
    """Open ``path`` as text with a sniffed encoding; undecodable bytes become U+FFFD.

    A single damaged byte in a large export should cost one garbled character, not the
    whole import, so decoding errors after the sniffed sample are replaced, not raised.
    """
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
    if head.startswith(b"\x00") or b"\x00\x00\x00" in head[:4096]:
        raise ChatImportError(f"{display_name(path)} looks like a binary file, not a chat export.")
    encoding = sniff_encoding(head, display_name(path), allow_gb18030=allow_gb18030)
    return path.open("r", encoding=encoding, errors="replace", newline=""), encoding


def read_head_text(path: Path, size: int = SNIFF_BYTES) -> str:
    """The first ``size`` bytes of a file decoded leniently (for format detection)."""
    with path.open("rb") as raw:
        head = raw.read(size)
    try:
        encoding = sniff_encoding(head, display_name(path))
    except ChatImportError:
        encoding = "utf-8"
    return head.decode(encoding, errors="replace").lstrip("\ufeff")


# ---------------------------------------------------------------------------------------------
# Worker processes of large imports


class WorkerFailed(Exception):
    """A worker process could not do its part; the import is redone in one process."""


def _worker_start() -> None:
    # As in read_chat: the many short-lived dicts of a window hold no cycles.
    gc.disable()


@contextmanager
def worker_pool(workers: int) -> Iterator[Executor]:
    """A pool of ``workers`` processes for the parts of a large import that split by rows.

    Forked where that is safe (Linux, no other thread running: the workers then start at
    once with everything imported), spawned otherwise.
    """
    methods = multiprocessing.get_all_start_methods()
    method = "fork" if "fork" in methods and threading.active_count() == 1 else "spawn"
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method), initializer=_worker_start)
    try:
        yield pool
    finally:
        # After a failure the windows still queued are of no use: drop them, do not wait.
        pool.shutdown(wait=True, cancel_futures=True)


def _scrub_texts(texts: pd.Series, names: dict[str, str]) -> pd.Series:
    """Member names replaced (see :mod:`._names`), then contact details masked."""
    from ._names import replace_names

    return mask_series(replace_names(texts, names))


def _scrub_part(joined: bytes, names: dict[str, str]) -> tuple[np.ndarray, list[str]]:
    """Worker: :func:`_scrub_texts` on texts sent as one UTF-8 string joined by NUL.

    One bytes object crosses between the processes (pickling half a million strings one by
    one costs more than the work saved); only the texts that changed come back.
    """
    before = joined.decode("utf-8", "surrogatepass").split("\x00")
    after = _scrub_texts(pd.Series(before, dtype="string"), names).tolist()
    changed = np.flatnonzero(np.asarray(before, dtype=object) != np.asarray(after, dtype=object))
    return changed, [after[i] for i in changed.tolist()]


def _scrub_shared(texts: pd.Series, names: dict[str, str], pool: Executor) -> pd.Series:
    """:func:`_scrub_texts` with the second half of the texts done by a worker process.

    Both steps work text by text, so the halves give the same texts as the whole column.
    """
    values = texts.to_numpy(dtype=object, na_value=None)
    rows = np.flatnonzero(pd.notna(values))
    half = len(rows) // 2
    theirs = values[rows[half:]].tolist()
    joined = "\x00".join(theirs)
    if len(theirs) < 2 or joined.count("\x00") != len(theirs) - 1:  # a text holds NUL itself
        return _scrub_texts(texts, names)
    future = pool.submit(_scrub_part, joined.encode("utf-8", "surrogatepass"), names)
    del joined, theirs
    mine = _scrub_texts(pd.Series(values[rows[:half]], dtype="string"), names)
    out = values.copy()
    out[rows[:half]] = mine.to_numpy(dtype=object, na_value=None)
    try:
        changed, new = future.result()
    except Exception as exc:  # a worker that died: the caller redoes the import in one process
        raise WorkerFailed(str(exc)) from None
    if len(changed):
        out[rows[half:][changed]] = np.asarray([*new, None], dtype=object)[:-1]
    return pd.Series(out, index=texts.index, dtype="string")


# ---------------------------------------------------------------------------------------------
# Raw frames

#: Columns of the raw frame every importer hands to :func:`finish`: the ``Messages`` columns
#: before pseudonymisation, plus ``raw_time`` (the time as written, for problem messages),
#: ``file`` (index into the list of file names) and ``where`` (1-based line or record).
RAW_COLUMNS = (
    "message_id",
    "timestamp",
    "raw_time",
    "author_key",
    "author_name",
    "text",
    "kind",
    "reply_to",
    "thread",
    "chat",
    "is_bot",
    "file",
    "where",
)


def empty_raw_frame() -> pd.DataFrame:
    """A raw frame with no rows (an export whose every record was dropped)."""
    text = pd.Series([], dtype="string")
    return pd.DataFrame(
        {
            "message_id": text,
            "timestamp": pd.Series([], dtype="datetime64[ns, UTC]"),
            "raw_time": pd.Series([], dtype=object),
            "author_key": text,
            "author_name": text,
            "text": text,
            "kind": pd.Series([], dtype=object),
            "reply_to": text,
            "thread": text,
            "chat": text,
            "is_bot": np.zeros(0, dtype=bool),
            "file": np.zeros(0, dtype=np.int32),
            "where": np.zeros(0, dtype=np.int64),
        }
    )


# ---------------------------------------------------------------------------------------------
# Time helpers


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


# ---------------------------------------------------------------------------------------------
# Finishing


def bad_times(stamps: pd.Series) -> np.ndarray:
    """Rows whose time is missing or damaged (dropped by :func:`finish`)."""
    # A year outside 1990..2099 is a damaged date, not a chat message (and would not fit the
    # nanosecond timestamps of the table).
    year = stamps.dt.year
    return (stamps.isna() | (year < EARLIEST_YEAR) | (year > LATEST_YEAR)).to_numpy(dtype=bool, na_value=True)


def finish(
    parts: list[pd.DataFrame],
    report: ImportReport,
    files: list[str],
    where_word: str,
    source: str,
    options: Options,
    *,
    describe_time: Callable[[Any], str] | None = None,
    pool: Executor | None = None,
) -> pd.DataFrame:
    """Turn raw frames into the final ``Messages`` table and complete ``report``.

    Steps: drop rows whose time could not be read; drop repeated message ids (per chat);
    sort by time; pseudonymise authors and mask contact details (unless opted out).

    Parameters
    ----------
    parts : list of DataFrame
        Raw frames with the columns :data:`RAW_COLUMNS`.
    report : ImportReport
        Report to update; dropped records were already counted by the importer.
    files : list of str
        Display names of the files, indexed by the ``file`` column.
    where_word : str
        ``"line"`` or ``"record"``.
    source : str
        One of :data:`~communitylab.data.schema.SOURCES`.
    options : Options
        Time zone, privacy settings.
    pool : Executor, optional
        Worker processes (a large import): the per-text work on names and contact details
        is shared between them, with the same result as in one process.
    """
    parts = [p for p in parts if len(p)]
    raw = pd.concat(parts, ignore_index=True) if parts else empty_raw_frame()
    del parts

    bad_time = bad_times(raw["timestamp"])
    if bad_time.any():
        rows = raw.loc[bad_time, ["file", "where", "raw_time", "timestamp"]].itertuples(index=False)
        for file_index, where, value, stamp in rows:
            shown = describe_time(value) if describe_time else _describe_time(value)
            reason = (
                f"the time {shown} could not be read"
                if pd.isna(stamp)
                else f"the date {shown} is outside {EARLIEST_YEAR}-{LATEST_YEAR}, so it is damaged"
            )
            report.drop(files[file_index], f"{where_word} {where}", reason)
        raw = raw.loc[~bad_time].reset_index(drop=True)

    has_id = raw["message_id"].notna().to_numpy()
    if has_id.any():
        repeated = raw.duplicated(subset=["chat", "message_id"], keep="first").to_numpy() & has_id
        if repeated.any():
            rows = raw.loc[repeated, ["file", "where", "message_id"]].itertuples(index=False)
            for file_index, where, message_id in rows:
                report.drop(
                    files[file_index], f"{where_word} {where}", f"message id {message_id} appeared earlier (kept once)"
                )
            report.duplicates += int(repeated.sum())
            raw = raw.loc[~repeated].reset_index(drop=True)

    raw["timestamp"] = raw["timestamp"].dt.as_unit("ns")
    if not raw["timestamp"].is_monotonic_increasing:
        order = np.argsort(raw["timestamp"].array.asi8, kind="stable")
        raw = raw.take(order).reset_index(drop=True)

    report.keep(len(raw))
    author_key = raw["author_key"].fillna(raw["author_name"])
    if options.pseudonymise:
        pseudonymiser = Pseudonymiser(options.secret, project=options.project, language=options.language)
        own = _own_keys(raw, author_key, options)
        author_id, author_name = pseudonymiser.columns(source, author_key, keep_raw=own)
        if own:  # the user's own messages keep their display name too
            mine = author_key.isin(own).fillna(False).to_numpy(bool)
            author_name[mine] = raw["author_name"].fillna(author_key)[mine]
        text = _scrub_names(raw, author_key, author_name, pseudonymiser, source, pool)
    else:
        author_id = author_key.astype("string")
        author_name = raw["author_name"].fillna(author_key).astype("string")
        text = raw["text"].astype("string")

    out = pd.DataFrame(
        {
            "message_id": raw["message_id"].astype("string"),
            "timestamp": raw["timestamp"],
            "author_id": author_id,
            "author_name": author_name,
            "text": text,
            "kind": pd.Categorical(raw["kind"], categories=KINDS),
            "reply_to": raw["reply_to"].astype("string"),
            "thread": raw["thread"].astype("string"),
            "chat": raw["chat"].astype("string"),
            "source": pd.Categorical.from_codes(np.full(len(raw), SOURCES.index(source)), categories=SOURCES),
            "is_bot": raw["is_bot"].astype(bool),
        },
        columns=list(COLUMNS),
    )
    return out


#: Sources whose author key is the display name itself, and the shape of raw author ids.
_KEYED_BY_NAME = frozenset({"whatsapp"})
_ID_PATTERNS = {
    "wechat": r"wxid_[A-Za-z0-9_\-]+",
    "slack": r"[UWB][A-Z0-9]+",
    "discord": r"\d{15,20}",
    "telegram": r"(?:user|channel)\d+",
}


def _scrub_names(
    raw: pd.DataFrame,
    author_key: pd.Series,
    author_name: pd.Series,
    pseudonymiser: Pseudonymiser,
    source: str,
    pool: Executor | None = None,
) -> pd.Series:
    """Mask contact details, then replace member names in event texts and in all texts.

    See :mod:`._names`: names in service events ("X added Y") become the pseudonym of that
    member (or ``[member]``); every known member name is then replaced in every text.
    """
    from ._names import known_names, resolver, scrub_event

    texts = raw["text"].astype("string")
    # Raw ids are looked up only where texts write them (wxid_..., <@U123>); elsewhere the
    # resolver recognises an id by its shape, which spares a pass over a million keys.
    keys = author_key if source in ("wechat", "slack") else author_key.iloc[:0]
    none = author_key.iloc[:0]
    by_name = known_names(raw["author_name"], none, author_name)
    known = {**by_name, **known_names(none, keys, author_name)}
    kind = raw["kind"].to_numpy(dtype=object)
    events = np.isin(kind, list(EVENT_KINDS)) & texts.notna().to_numpy()
    found: set[str] = set()
    if events.any():
        resolve = resolver(pseudonymiser, source, known, source in _KEYED_BY_NAME, _ID_PATTERNS.get(source))
        scrubbed = [scrub_event(t, source, resolve, found) for t in texts[events].tolist()]
        texts = texts.copy()
        texts[events] = scrubbed
        for name in found:
            by_name.setdefault(name, resolve(name))
    # Free text is searched for display names (and the names events revealed), not for raw
    # ids: members write names, and ids in a text are the export's markup, handled above.
    names = by_name
    # Names first, masking second: "@Rusty Lemur 9" must become "@Member 3f9a2c" as a whole
    # (masking first would leave "@[member] Lemur 9"); masking keeps "@<pseudonym>".
    if pool is None:
        return _scrub_texts(texts, names)
    return _scrub_shared(texts, names, pool)


def _own_keys(raw: pd.DataFrame, author_key: pd.Series, options: Options) -> set[str]:
    """Raw author keys the user opted out for, matched by id or by display name."""
    if not options.keep_own:
        return set()
    wanted = set(options.keep_own)
    by_key = author_key.isin(wanted) | raw["author_name"].isin(wanted).fillna(False)
    return set(author_key[by_key.to_numpy(dtype=bool)].dropna().astype(str))


def _describe_time(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "(missing)"
    text = str(value)
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


# ---------------------------------------------------------------------------------------------
# CSV

_SKIPPED_LINE = re.compile(r"Skipping line (\d+): ([^\n]*)")


def csv_chunks(path: Path, report: ImportReport, required: Iterable[str] = ()) -> Iterable[tuple[int, pd.DataFrame]]:
    """Read a CSV export in chunks of :data:`CSV_CHUNK_ROWS` rows, all cells as text.

    Yields ``(first_record_number, chunk)``; header names are stripped of spaces and
    byte-order marks. Rows with too many fields are dropped and reported with their line
    number (pandas' C parser reports them as warnings, collected here); rows with too few
    fields come through with empty cells and the importer decides.

    Raises
    ------
    ChatImportError
        If the file cannot be parsed as CSV at all (e.g. a quote that is never closed) or
        lacks the ``required`` columns.
    """
    import warnings

    from pandas.errors import EmptyDataError, ParserError, ParserWarning

    name = display_name(path)
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
    if head.startswith(b"\x00") or b"\x00\x00\x00" in head[:4096]:
        raise ChatImportError(f"{name} looks like a binary file, not a chat export.")
    encoding = sniff_encoding(head, name)
    first = 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ParserWarning)
        try:
            # The C parser decodes the bytes itself (much faster than a Python text stream).
            reader = pd.read_csv(
                path,
                encoding=encoding,
                encoding_errors="replace",
                dtype=object,
                keep_default_na=False,
                na_filter=False,
                chunksize=CSV_CHUNK_ROWS,
                on_bad_lines="warn",
                engine="c",
            )
            with reader:  # closes the file even when the importer stops early
                for chunk in reader:
                    _report_skipped(caught, report, name)
                    chunk.columns = [str(c).strip().lstrip("\ufeff").strip().strip('"') for c in chunk.columns]
                    missing = [c for c in required if c not in chunk.columns]
                    if missing:
                        raise ChatImportError(
                            f"{name} lacks the column(s) {', '.join(missing)}; is it really this kind of export?"
                        )
                    yield first, chunk
                    first += len(chunk)
        except EmptyDataError:
            raise ChatImportError(f"{name} has no header and no rows: there are no messages to import.") from None
        except ParserError as exc:
            detail = str(exc).split("C error: ")[-1].rstrip(". \n")
            raise ChatImportError(
                f"{name} could not be read as CSV ({detail}). The file may be cut off or damaged; export it again."
            ) from None
        _report_skipped(caught, report, name)


def _report_skipped(caught: list[Any], report: ImportReport, name: str) -> None:
    for warning in caught:
        for match in _SKIPPED_LINE.finditer(str(warning.message)):
            report.drop(name, f"line {match.group(1)}", f"wrong number of fields ({match.group(2).strip()})")
    caught.clear()


def blank_to_na(values: pd.Series) -> pd.Series:
    """Text column with empty cells as ``<NA>``."""
    out = values.astype("string")
    return out.mask(out == "")
