"""A small single-pass JSON reader for large exports (Telegram ``result.json``, Discord JSON).

``json.load`` would build every message as a dict before the importer sees the first one,
which for a 1,000,000-message export costs several gigabytes. This reader walks the
outer objects and arrays itself and hands the importer the elements of the arrays it
wants, a batch at a time. It holds one window of raw text (:data:`TEXT_CHUNK_CHARS`
characters, grown only while a single element is longer than that).

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
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from ._jsonwindows import ElementWindows, NotSplittable, loads_window
from ._options import ChatImportError

#: Characters of raw text read at a time, and bytes of a window the fast path decodes at once.
TEXT_CHUNK_CHARS: int = 4 * 1024**2

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# After an array element: whitespace, then "," or "]", then whitespace.
_AFTER_ELEMENT = re.compile(r"[ \t\n\r]*([,\]])[ \t\n\r]*")
#: One element larger than this is treated as broken JSON rather than read on and on.
MAX_ELEMENT_CHARS = 64 * 1024**2


class JsonStream:
    """Pull-style reader over a text stream.

    Parameters
    ----------
    handle : text stream
        The open file.
    name : str
        File name used in error messages.
    """

    def __init__(
        self,
        handle: IO[str],
        name: str,
        chunk_chars: int = TEXT_CHUNK_CHARS,
        *,
        path: Path | None = None,
        encoding: str | None = None,
    ):
        self._handle = handle
        self.name = name
        self._chunk = chunk_chars
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._lines_before = 0  # newlines in text already dropped from the window
        self._uncounted: list[tuple[int, int]] = []  # byte ranges whose newlines _lines_before lacks
        # Byte offset of the window's start in the file, kept only while the file can be
        # reopened as bytes (plain UTF-8): the fast path of batches() works on bytes.
        self._path = path if encoding in ("utf-8", "utf-8-sig") else None
        self._bytes_before = 3 if encoding == "utf-8-sig" else 0
        self._owned: list[IO[Any]] = []
        self._decode = json.JSONDecoder().raw_decode
        self._fill()
        if self._buf.startswith("\ufeff"):
            self._pos = 1

    @property
    def path(self) -> Path | None:
        """The file, when it can be reopened as bytes (plain UTF-8), else None."""
        return self._path

    # -- window management -----------------------------------------------------------------
    def _fill(self) -> bool:
        """Read another chunk into the window; False at end of file."""
        if self._eof:
            return False
        more = self._handle.read(self._chunk)
        if not more:
            self._eof = True
            return False
        if self._pos:
            self._lines_before += self._buf.count("\n", 0, self._pos)
            if self._path is not None:
                self._bytes_before += len(self._buf[: self._pos].encode("utf-8", "surrogatepass"))
        self._buf = self._buf[self._pos :] + more
        self._pos = 0
        return True

    def close(self) -> None:
        """Close the byte handles the fast path opened (the caller closes ``handle``)."""
        for owned in self._owned:
            owned.close()
        self._owned.clear()

    def __enter__(self) -> JsonStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def line(self, pos: int | None = None) -> int:
        """1-based line number of ``pos`` (default: the current position)."""
        pos = self._pos if pos is None else pos
        self._count_uncounted()
        return self._lines_before + self._buf.count("\n", 0, pos) + 1

    def _count_uncounted(self) -> None:
        """Add the newlines of the byte ranges the fast path went over to ``_lines_before``."""
        if self._uncounted and self._path is not None:
            with open(self._path, "rb") as raw:
                for start, end in self._uncounted:
                    raw.seek(start)
                    for at in range(start, end, self._chunk):  # a window at a time, not the whole range
                        self._lines_before += raw.read(min(self._chunk, end - at)).count(b"\n")
        self._uncounted.clear()

    def _skip_ws(self) -> str:
        """Skip whitespace and return the next character ("" at end of file)."""
        while True:
            self._pos = _WHITESPACE.match(self._buf, self._pos).end()
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._fill():
                return ""

    def _fail(self, what: str) -> ChatImportError:
        return ChatImportError(f"{self.name} is not valid JSON near line {self.line()}: {what}.")

    # -- structure -------------------------------------------------------------------------
    def peek(self) -> str:
        """Next non-space character, "" at end of file."""
        return self._skip_ws()

    def expect(self, char: str) -> None:
        """Consume ``char`` (after whitespace) or raise."""
        found = self._skip_ws()
        if found != char:
            if found == "":
                raise ChatImportError(
                    f"{self.name} ends too early (near line {self.line()}): the file was cut off. "
                    "Export the chat again."
                )
            raise self._fail(f"expected {char!r} but found {found!r}")
        self._pos += 1

    def value(self) -> Any:
        """Decode and return the next complete JSON value."""
        self._skip_ws()
        while True:
            try:
                obj, end = self._decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if not self._eof and len(self._buf) - self._pos < MAX_ELEMENT_CHARS and self._fill():
                    continue
                if self._eof and (exc.msg.startswith("Unterminated") or not self._buf[exc.pos :].strip()):
                    # The value runs past the end of the file: the file was cut.
                    raise ChatImportError(
                        f"{self.name} ends too early (near line {self.line()}): the file was cut off, "
                        "probably by an interrupted download or copy. Export the chat again."
                    ) from None
                raise ChatImportError(
                    f"{self.name} is not valid JSON near line {self.line(exc.pos)}: {exc.msg.lower()}."
                ) from None
            if end >= len(self._buf) and not self._eof and self._fill():
                continue  # a number or literal may go on in the next chunk
            self._pos = end
            return obj

    def skip(self) -> None:
        """Read past the next value, whatever it is."""
        kind = self.peek()
        if kind == "[":
            for _ in self.items():
                self.skip()
        elif kind == "{":
            for _ in self.keys():
                self.skip()
        else:
            self.value()

    def keys(self) -> Iterator[str]:
        """Iterate the keys of the object that starts here; the caller reads each value."""
        if not self._open("{", "}"):
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise self._fail("an object key must be a string")
            self.expect(":")
            yield key
            if not self._next_member("}"):
                return

    def items(self) -> Iterator[int]:
        """Iterate the elements of the array that starts here (yields 1-based indexes)."""
        if not self._open("[", "]"):
            return
        index = 0
        while True:
            index += 1
            yield index
            if not self._next_member("]", index):
                return

    def _open(self, opener: str, closer: str) -> bool:
        """Consume ``opener``; False (with ``closer`` consumed too) if the object or array is empty."""
        self.expect(opener)
        if self.peek() == closer:
            self._pos += 1
            return False
        return True

    def _next_member(self, closer: str, index: int = 0) -> bool:
        """After a member: consume "," (True: another follows) or ``closer`` (False: the end), or raise.

        ``index`` is the 1-based number of the array element just read (for the message).
        """
        nxt = self.peek()
        if nxt in (",", closer):
            self._pos += 1
            return nxt == ","
        if closer == "}":
            raise self._fail(f"expected ',' or '}}' but found {nxt!r}" if nxt else "the file ends inside an object")
        if nxt == "":
            raise ChatImportError(
                f"{self.name} ends too early (after record {index}): the file was cut off. Export the chat again."
            )
        raise self._fail(f"expected ',' or ']' after record {index} but found {nxt!r}")

    def _elements_from_here(self, first: int) -> Iterator[tuple[int, Any]]:
        """Elements from the current position (just before an element) to the closing "]".

        Yields ``(index, value)`` with 1-based indexes from ``first``. This is the careful
        path: one element at a time, with precise error messages.
        """
        decode, after = self._decode, _AFTER_ELEMENT.match
        index = first - 1
        self._skip_ws()
        while True:
            index += 1
            start = self._pos
            try:
                obj, end = decode(self._buf, start)
            except json.JSONDecodeError:
                obj = self.value()  # slow path: refill the window, or raise a clear error
                end = self._pos
            else:
                if end >= len(self._buf) and not self._eof:
                    self._pos = start
                    obj = self.value()
                    end = self._pos
            yield index, obj
            found = after(self._buf, end)
            if found is None or found.end() >= len(self._buf):  # the separator is in the next chunk
                self._pos = end
                if not self._next_member("]", index):
                    return
                self._skip_ws()
                continue
            self._pos = found.end()
            if found.group(1) == "]":
                return

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

    def finish(self) -> None:
        """Check nothing but whitespace follows the top-level value."""
        if self.peek() != "":
            raise self._fail("unexpected text after the end of the data")
