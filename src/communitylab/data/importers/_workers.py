"""Worker processes of a large import, and the share of the name and contact scrubbing they do.

See :mod:`.telegram` for the windows of messages workers decode; here is the pool both use
and the split of the per-text scrubbing (:func:`scrub_shared`), which gives exactly the
texts one process would.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

import numpy as np
import pandas as pd

from ._names import scrub_joined, scrub_texts


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


def _scrub_part(joined: bytes, names: dict[str, str]) -> tuple[np.ndarray, list[str]]:
    """Worker: :func:`~._names.scrub_texts` on texts sent as one UTF-8 string joined by NUL.

    One bytes object crosses between the processes (pickling half a million strings one by
    one costs more than the work saved); only the texts that changed come back.
    """
    text = joined.decode("utf-8", "surrogatepass")
    del joined
    # The sender checked that no text holds a NUL: the joined string is scrubbed as it is.
    after = scrub_joined(text, names).split("\x00")
    before = text.split("\x00")
    del text
    changed = np.flatnonzero(np.asarray(before, dtype=object) != np.asarray(after, dtype=object))
    return changed, [after[i] for i in changed.tolist()]


def scrub_shared(texts: pd.Series, names: dict[str, str], pool: Executor) -> pd.Series:
    """:func:`~._names.scrub_texts` with the second half of the texts done by a worker process.

    Both steps work text by text, so the halves give the same texts as the whole column.
    """
    values = texts.to_numpy(dtype=object, na_value=None)
    rows = np.flatnonzero(pd.notna(values))
    half = len(rows) // 2
    theirs = values[rows[half:]].tolist()
    joined = "\x00".join(theirs)
    if len(theirs) < 2 or joined.count("\x00") != len(theirs) - 1:  # a text holds NUL itself
        return scrub_texts(texts, names)
    future = pool.submit(_scrub_part, joined.encode("utf-8", "surrogatepass"), names)
    del joined, theirs
    mine = scrub_texts(pd.Series(values[rows[:half]], dtype="string"), names)
    out = values.copy()
    out[rows[:half]] = mine.to_numpy(dtype=object, na_value=None)
    try:
        changed, new = future.result()
    except Exception as exc:  # a worker that died: the caller redoes the import in one process
        raise WorkerFailed(str(exc)) from None
    if len(changed):
        out[rows[half:][changed]] = np.asarray([*new, None], dtype=object)[:-1]
    return pd.Series(out, index=texts.index, dtype="string")
