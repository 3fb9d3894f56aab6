"""The careful half of the JSON reader: a window of text, walked one token at a time.

:class:`JsonTextReader` holds one window of raw text (:data:`TEXT_CHUNK_CHARS` characters,
grown only while a single element is longer than that), walks the outer objects and arrays
itself (:meth:`~JsonTextReader.keys`, :meth:`~JsonTextReader.items`) and decodes values one
at a time with the standard library's ``JSONDecoder.raw_decode``, so any problem is found and
described with its line number. It also keeps the window's byte offset in the file and the
newlines before it, which is what lets :class:`._jsonstream.JsonStream` hand an array over
to the fast path on the file's bytes and take the text back after it.

Split from :mod:`._jsonstream` (issue 14.9: no module over ~400 lines): this module is the
text reader every JSON import uses; that one adds the fast path for pretty-printed arrays.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Self

from ._options import ChatImportError

__all__ = ["MAX_ELEMENT_CHARS", "TEXT_CHUNK_CHARS", "JsonTextReader"]

#: Characters of raw text read at a time, and bytes of a window the fast path decodes at once.
TEXT_CHUNK_CHARS: int = 4 * 1024**2

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# After an array element: whitespace, then "," or "]", then whitespace.
_AFTER_ELEMENT = re.compile(r"[ \t\n\r]*([,\]])[ \t\n\r]*")
#: One element larger than this is treated as broken JSON rather than read on and on.
MAX_ELEMENT_CHARS = 64 * 1024**2


class JsonTextReader:
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

    def __enter__(self) -> Self:
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

    def finish(self) -> None:
        """Check nothing but whitespace follows the top-level value."""
        if self.peek() != "":
            raise self._fail("unexpected text after the end of the data")
