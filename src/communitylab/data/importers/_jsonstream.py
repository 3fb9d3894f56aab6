"""A small single-pass JSON reader for large exports (Telegram ``result.json``, Discord JSON).

``json.load`` would build every message as a dict before the importer sees the first one,
which for a 1,000,000-message export costs several gigabytes. This reader walks the
outer objects and arrays itself and hands the importer the elements of the arrays it
wants, a batch at a time. It holds one window of raw text (:data:`TEXT_CHUNK_CHARS`
characters, grown only while a single element is longer than that); that text reader,
which walks the structure and decodes the careful way, is :class:`._jsontext.JsonTextReader`,
and this module adds the fast path for arrays.

Arrays of messages are read the fast way when the export is pretty-printed (Telegram
Desktop and DiscordChatExporter indent one element per block) in plain UTF-8: the file's
bytes are cut into windows of whole elements without decoding them (:class:`ElementWindows`)
and each window is decoded by one call of a C decoder, in this process
(:meth:`JsonStream.batches`) or in worker processes (:meth:`JsonStream.byte_windows`).
Anything else, and any window that does not decode, is read element by element with the
standard library's ``JSONDecoder.raw_decode``, which finds and describes any problem.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from ._jsontext import TEXT_CHUNK_CHARS, JsonTextReader
from ._jsonwindows import ElementWindows, NotSplittable, loads_window

__all__ = ["TEXT_CHUNK_CHARS", "JsonStream"]


class JsonStream(JsonTextReader):
    """Pull-style reader over a text stream that reads pretty-printed arrays on the file's bytes.

    Takes the parameters of :class:`._jsontext.JsonTextReader`; adds :meth:`batches` and
    :meth:`byte_windows`, which cut an array into windows of whole elements where they can
    and read it the careful way where they cannot.
    """

    def batches(
        self, size: int = 20_000, drop: Callable[[bytes], bytes] | None = None
    ) -> Iterator[tuple[int, list[Any]]]:
        """Decode the array that starts here in batches of whole elements.

        Yields ``(first_index, elements)``. A pretty-printed array in plain UTF-8 takes the
        fast path (:class:`ElementWindows`: a window of elements decoded by one C call);
        anything else, and the rest of the array from a window that does not decode, is
        read element by element, ``size`` elements a batch.

        ``drop`` rewrites a window's bytes before decoding (see ``telegram._drop_entities``:
        a member the importer never reads but that can be as large as the rest of the
        message); it must only remove whole members of pretty-printed JSON.
        """
        if not self._open("[", "]"):
            return
        index = 1
        windows = self._element_windows(self._chunk)
        if windows is not None:
            resume_at = None
            for start, window in windows:
                data = drop(bytes(window)) if drop is not None else bytes(window)
                try:
                    elements = loads_window(b"[" + data + b"]")
                except (json.JSONDecodeError, UnicodeDecodeError):
                    elements = None
                if elements.__class__ is not list:
                    resume_at = start  # the careful path reads this window and describes any problem
                    break
                yield index, elements
                index += len(elements)
            self._resume_after(windows, resume_at)
            if resume_at is None and windows.closed:
                return
        pending: list[Any] = []
        first = index
        for number, value in self._elements_from_here(index):
            if not pending:
                first = number
            pending.append(value)
            if len(pending) >= size:
                yield first, pending
                pending = []
        if pending:
            yield first, pending

    def byte_windows(self, window_bytes: int) -> Iterator[tuple[int, int]]:
        """Cut the array that starts here into byte ranges of whole elements, without decoding.

        Yields ``(start, end)`` file offsets; ``b"[" + file[start:end] + b"]"`` is meant to be
        a JSON array of the next elements, in order (whoever decodes it checks that), so
        worker processes can each read and decode their own ranges. After the array the text
        reader goes on as usual.

        Raises
        ------
        NotSplittable
            The array is not pretty-printed one element per block in plain UTF-8, or its
            layout is irregular. Nothing useful is left of the stream: the caller reads the
            file again the ordinary way (:meth:`batches` describes any problem precisely).
        """
        if not self._open("[", "]"):
            return
        windows = self._element_windows(window_bytes)
        if windows is None:
            raise NotSplittable
        for start, window in windows:
            yield start, start + len(window)
        if not windows.closed:
            raise NotSplittable
        self._resume_after(windows, None)

    def _element_windows(self, window_bytes: int) -> ElementWindows | None:
        """The cutter of the array whose first element starts here, or None if the fast path
        cannot be taken (not pretty-printed, not plain UTF-8, or untrustworthy offsets)."""
        indent = self._indent_here()
        if indent is None or self._path is None:
            return None
        offset = self._byte_offset()
        if offset is None:
            return None
        raw = open(self._path, "rb")  # noqa: SIM115 - closed by close()
        self._owned.append(raw)
        return ElementWindows(raw, offset, indent.encode(), window_bytes, self._lines_here())

    def _lines_here(self) -> int:
        """Newlines before the current position, not counting skipped byte ranges."""
        return self._lines_before + self._buf.count("\n", 0, self._pos)

    def _resume_after(self, windows: ElementWindows, at: int | None) -> None:
        """Hand the file back to the text reader at byte ``at`` (default: where the cutter stopped).

        The newlines of the bytes the cutter went over are counted only if a later error
        message needs a line number (:meth:`line`).
        """
        stop = windows.stop if at is None else at
        self._resume_text(windows.raw, stop, windows.lines_before)
        self._uncounted.append((windows.offset, stop))

    def _byte_offset(self) -> int | None:
        """File offset in bytes of the current position, or None if it cannot be trusted.

        The text was decoded with undecodable bytes replaced, so the offset is checked by
        reading the bytes back and comparing them with the window.
        """
        offset = self._bytes_before + len(self._buf[: self._pos].encode("utf-8", "surrogatepass"))
        sample = self._buf[self._pos : self._pos + 4096].encode("utf-8", "surrogatepass")
        with open(self._path, "rb") as raw:
            raw.seek(offset)
            if raw.read(len(sample)) != sample:
                return None
        return offset

    def _resume_text(self, raw: IO[bytes], byte: int, lines_before: int) -> None:
        """Hand the rest of the file back to the text reader, from ``byte`` of ``raw``."""
        raw.seek(byte)
        previous = self._handle
        self._handle = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
        # The wrapper now owns raw; a wrapper from an earlier array is spent, so close it
        # (an account export with many chats must not pile up open files).
        self._owned.remove(raw)
        if any(previous is h for h in self._owned):
            self._owned.remove(previous)
            previous.close()
        self._owned.append(self._handle)
        self._buf, self._pos, self._eof = "", 0, False
        self._lines_before, self._bytes_before = lines_before, byte
        self._fill()

    def _indent_here(self) -> str | None:
        """Indentation of the element at the current position if it starts its own line."""
        line_start = self._buf.rfind("\n", 0, self._pos) + 1
        prefix = self._buf[line_start : self._pos]
        return prefix if line_start > 0 and prefix.strip(" \t") == "" else None
