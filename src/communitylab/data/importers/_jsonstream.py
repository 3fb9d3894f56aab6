"""A small single-pass JSON reader for large exports (Telegram ``result.json``, Discord JSON).

``json.load`` would build every message as a dict before the importer sees the first one,
which for a 1,000,000-message export costs several gigabytes. This reader walks the
outer objects and arrays itself and hands the importer one element at a time, decoded
by the C decoder of the standard library (``JSONDecoder.raw_decode``). It holds one window
of raw text (:data:`~._common.TEXT_CHUNK_CHARS` characters, grown only while a single
element is longer than that) and one decoded element.
"""

from __future__ import annotations

import io
import json
import mmap
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ._common import TEXT_CHUNK_CHARS, ChatImportError

try:  # orjson decodes a window about a third faster and builds its dicts with less overhead
    import orjson as _orjson
except ImportError:  # pragma: no cover - a declared dependency, but the stdlib always works
    _orjson = None


def loads_window(data: bytes) -> Any:
    """Decode one window of JSON bytes: orjson when installed, else (and on anything orjson
    refuses but the standard library reads, such as NaN or integers beyond 64 bits) ``json``.
    Errors are those of :func:`json.loads`."""
    if _orjson is not None:
        try:
            return _orjson.loads(data)
        except _orjson.JSONDecodeError:
            pass
    return json.loads(data)


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_BYTE_WHITESPACE = re.compile(rb"[ \t\n\r]*")
# After an array element: whitespace, then "," or "]", then whitespace.
_AFTER_ELEMENT = re.compile(r"[ \t\n\r]*([,\]])[ \t\n\r]*")
#: One element larger than this is treated as broken JSON rather than read on and on.
MAX_ELEMENT_CHARS = 64 * 1024**2


class NotSplittable(Exception):
    """Raised by :meth:`JsonStream.byte_windows` when an array cannot be cut ahead of decoding."""


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
        # reopened as bytes (plain UTF-8): the fast path of batches() then works on bytes.
        self._path = path if encoding in ("utf-8", "utf-8-sig") else None
        self._bytes_before = 3 if encoding == "utf-8-sig" else 0
        self._owned: list[IO[Any]] = []
        self._decode = json.JSONDecoder().raw_decode
        #: Raw text of the batch :meth:`batches` yielded last (None on the careful path).
        self.last_window: str | None = None
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
        """Add the newlines of byte ranges skipped by :meth:`byte_windows` to ``_lines_before``."""
        if self._uncounted and self._path is not None:
            with open(self._path, "rb") as raw:
                for start, end in self._uncounted:
                    raw.seek(start)
                    self._lines_before += raw.read(end - start).count(b"\n")
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

    def value_start(self) -> int:
        """Position of the next value in the window (for line numbers of problems)."""
        self._skip_ws()
        return self._pos

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
        self.expect("{")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise self._fail("an object key must be a string")
            self.expect(":")
            yield key
            nxt = self.peek()
            if nxt == ",":
                self._pos += 1
                continue
            if nxt == "}":
                self._pos += 1
                return
            raise self._fail(f"expected ',' or '}}' but found {nxt!r}" if nxt else "the file ends inside an object")

    def items(self) -> Iterator[int]:
        """Iterate the elements of the array that starts here (yields 1-based indexes)."""
        self.expect("[")
        if self.peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            index += 1
            yield index
            nxt = self.peek()
            if nxt == ",":
                self._pos += 1
                continue
            if nxt == "]":
                self._pos += 1
                return
            if nxt == "":
                raise ChatImportError(
                    f"{self.name} ends too early (after record {index}): the file was cut off. Export the chat again."
                )
            raise self._fail(f"expected ',' or ']' after record {index} but found {nxt!r}")

    def elements(self) -> Iterator[tuple[int, int, Any]]:
        """Decode the array that starts here element by element.

        Yields ``(index, start, value)``: the 1-based index, the element's position in the
        window (valid until the next element is requested; see :meth:`line`) and the value.
        This is the hot loop of a large import, so it avoids the general machinery.
        """
        self.expect("[")
        if self.peek() == "]":
            self._pos += 1
            return
        yield from self._elements_from_here(1)

    def _elements_from_here(self, first: int) -> Iterator[tuple[int, int, Any]]:
        """Elements from the current position (just before an element) to the closing "]"."""
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
                start, end = self._pos, self._pos
            else:
                if end >= len(self._buf) and not self._eof:
                    self._pos = start
                    obj = self.value()
                    end = self._pos
            yield index, start, obj
            found = after(self._buf, end)
            if found is None or found.end() >= len(self._buf):
                self._pos = end
                nxt = self.peek()
                if nxt == "]":
                    self._pos += 1
                    return
                if nxt == ",":
                    self._pos += 1
                    self._skip_ws()
                    continue
                if nxt == "":
                    raise ChatImportError(
                        f"{self.name} ends too early (after record {index}): the file was cut off. "
                        "Export the chat again."
                    )
                raise self._fail(f"expected ',' or ']' after record {index} but found {nxt!r}")
            self._pos = found.end()
            if found.group(1) == "]":
                return

    def batches(self, size: int = 20_000, drop: re.Pattern[str] | None = None) -> Iterator[tuple[int, list[Any]]]:
        """Decode the array that starts here in batches of whole elements.

        Yields ``(first_index, elements)``. Pretty-printed exports (Telegram Desktop and
        DiscordChatExporter both indent one element per block) take a fast path: an element
        ends wherever a line holds only its closing brace at the element's own indentation
        (JSON strings cannot contain raw line breaks, so this never cuts inside a string),
        and a whole window of elements is decoded by one C call. Anything else, or any
        window the fast path cannot decode, falls back to :meth:`elements`, which gives
        precise error messages.

        ``drop`` removes text from a window before decoding it (see
        ``telegram._ENTITIES``: a member the importer never reads but that can be as large as
        the rest of the message); it must only match whole members of pretty-printed JSON.
        """
        self.expect("[")
        if self.peek() == "]":
            self._pos += 1
            return
        indent = self._indent_here()
        index = 1
        start_byte = self._byte_offset() if indent is not None and self._path is not None else None
        if indent is not None and start_byte is not None:
            done = yield from self._byte_batches(start_byte, indent, drop)
            if done is True:
                return
            index = done  # the rest goes the careful way
        elif indent is not None:
            closing = "\n" + indent + "}"
            # The array's own "]" sits on a line indented less than its elements; a window
            # may reach past it into a later array, which must not join this batch. Plain
            # finds (memchr speed) for each shorter indentation beat one regex over every line.
            array_ends = ["\n" + indent[:k] + "]" for k in range(len(indent))] or ["\n]"]
            while True:
                found = [i for i in (self._buf.find(e, self._pos) for e in array_ends) if i >= 0]
                stop = min(found) if found else None
                cut = self._buf.rfind(closing, self._pos, stop if stop is not None else len(self._buf))
                if cut < 0:
                    if stop is None and self._fill():
                        continue
                    break
                elements = None
                for _ in range(3):  # the last brace found may close an outer object: step back
                    end = cut + len(closing)
                    try:
                        window = self._buf[self._pos : end]
                        if drop is not None:
                            window = drop.sub("", window)
                        elements = json.loads("[" + window + "]")
                        break
                    except json.JSONDecodeError:
                        cut = self._buf.rfind(closing, self._pos, cut)
                        if cut < 0:
                            break
                if elements is None:
                    break  # let the careful path find and describe the problem
                self.last_window = window
                self._pos = end
                yield index, elements
                index += len(elements)
                nxt = self.peek()
                if nxt == "]":
                    self._pos += 1
                    return
                if nxt != ",":
                    break
                self._pos += 1
                self._skip_ws()
        self.last_window = None  # the careful path has no window text
        pending: list[Any] = []
        first = index
        for offset, _start, value in self._elements_from_here(index):
            if not pending:
                first = offset
            pending.append(value)
            if len(pending) >= size:
                yield first, pending
                pending = []
        if pending:
            yield first, pending

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

    def _byte_batches(self, offset: int, indent: str, drop: re.Pattern[str] | None):
        """The fast path of :meth:`batches` on the file's bytes.

        Bytes are searched and cut (one byte per character for the ASCII structure; the
        decoded text of an emoji-rich export takes four bytes per character), and each
        window is decoded once, inside ``json.loads``. Returns True when the array ended,
        or the index of the next element after handing the rest back to the text reader.
        """
        raw = open(self._path, "rb")  # noqa: SIM115 - closed by close()
        self._owned.append(raw)
        raw.seek(offset)
        self._count_uncounted()
        lines_before = self._lines_before + self._buf.count("\n", 0, self._pos)
        closing = ("\n" + indent + "}").encode()
        array_ends = [("\n" + indent[:k] + "]").encode() for k in range(len(indent))] or [b"\n]"]
        drop_bytes = re.compile(drop.pattern.encode()) if drop is not None else None
        buf, pos, eof, index, array_done = b"", 0, False, 1, False
        longest = max(len(e) for e in array_ends)
        scanned = 0  # buf[:scanned] holds no array end (scan each byte once, not per batch)

        def refill() -> bool:
            nonlocal buf, pos, eof, offset, lines_before, scanned
            more = raw.read(len(buf) - pos + self._chunk)
            if not more:
                eof = True
                return False
            lines_before += buf.count(b"\n", 0, pos)
            offset += pos
            scanned = max(scanned - pos, 0)
            buf, pos = buf[pos:] + more, 0
            return True

        while True:
            start = max(pos, scanned - longest)
            found = [i for i in (buf.find(e, start) for e in array_ends) if i >= 0]
            stop = min(found) if found else None
            scanned = len(buf) if stop is None else stop
            cut = buf.rfind(closing, pos, stop if stop is not None else len(buf))
            if cut < 0:
                if stop is None and not eof and refill():
                    continue
                break
            elements = None
            for _ in range(3):  # the last brace found may close an outer object: step back
                end = cut + len(closing)
                window = buf[pos:end]
                if drop_bytes is not None:
                    window = drop_bytes.sub(b"", window)
                try:
                    elements = loads_window(b"[" + window + b"]")
                    break
                except (json.JSONDecodeError, UnicodeDecodeError):
                    cut = buf.rfind(closing, pos, cut)
                    if cut < 0:
                        break
            if elements is None:
                break
            pos = end
            yield index, elements
            index += len(elements)
            nxt = _BYTE_WHITESPACE.match(buf, pos).end()
            while nxt >= len(buf) and not eof and refill():  # the separator is in the next chunk
                nxt = _BYTE_WHITESPACE.match(buf, pos).end()
            if buf[nxt : nxt + 1] == b"]":
                pos, array_done = nxt + 1, True
                break
            if buf[nxt : nxt + 1] != b",":
                break
            pos = nxt + 1
        self._resume_text(raw, offset + pos, lines_before + buf.count(b"\n", 0, pos))
        if array_done:
            return True
        if self.peek() == ",":  # stopped between elements: the careful path goes on
            self._pos += 1
        return index

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

    def byte_windows(self, window_bytes: int) -> Iterator[tuple[int, int]]:
        """Cut the array that starts here into byte ranges of whole elements, without decoding.

        Yields ``(start, end)`` file offsets; ``b"[" + file[start:end] + b"]"`` is meant to be
        a JSON array of the next elements, in order (whoever decodes it checks that). The cuts
        are those of the fast path of :meth:`batches` (an element ends where a line holds only
        its closing brace at the element's indentation), so worker processes can each read
        and decode their own ranges. After the array the text reader goes on as usual.

        Raises
        ------
        NotSplittable
            The array is not pretty-printed one element per block in plain UTF-8, or its
            layout is irregular. Nothing useful is left of the stream: the caller reads the
            file again the ordinary way (:meth:`batches` describes any problem precisely).
        """
        self.expect("[")
        if self.peek() == "]":
            self._pos += 1
            return
        indent = self._indent_here()
        offset = self._byte_offset() if indent is not None and self._path is not None else None
        if indent is None or offset is None:
            raise NotSplittable
        raw = open(self._path, "rb")  # noqa: SIM115 - closed by close()
        self._owned.append(raw)
        lines_before = self._lines_before + self._buf.count("\n", 0, self._pos)
        closing = ("\n" + indent + "}").encode()
        # The array's "]" on a line indented less than its elements: one regex pass finds the
        # first of them (the same place as a find per indentation, in about a third of the time).
        shorter = b"|".join(re.escape(indent[:k].encode()) for k in range(len(indent)))
        array_end = re.compile(b"\n(?:" + shorter + b")\\]")
        # The file is mapped, not read: the search touches each byte once and nothing is copied.
        with mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            found = array_end.search(mapped, offset)
            stop = found.start() if found else len(mapped)
            pos = offset
            while True:
                limit = min(pos + window_bytes, stop)
                cut = mapped.rfind(closing, pos, limit)
                while cut < 0 and limit < stop:  # an element longer than a window
                    limit = min(limit + window_bytes, stop)
                    cut = mapped.rfind(closing, pos, limit)
                if cut < 0:
                    raise NotSplittable
                end = cut + len(closing)
                yield pos, end
                nxt = _BYTE_WHITESPACE.match(mapped, end).end()
                if mapped[nxt : nxt + 1] == b"]":
                    pos = nxt + 1
                    break
                if mapped[nxt : nxt + 1] != b",":
                    raise NotSplittable
                pos = nxt + 1
        self._resume_text(raw, pos, lines_before)
        # Newlines of the array are counted only if a later error message needs a line number.
        self._uncounted.append((offset, pos))

    def _indent_here(self) -> str | None:
        """Indentation of the element at the current position if it starts its own line."""
        line_start = self._buf.rfind("\n", 0, self._pos) + 1
        prefix = self._buf[line_start : self._pos]
        return prefix if line_start > 0 and prefix.strip(" \t") == "" else None

    def finish(self) -> None:
        """Check nothing but whitespace follows the top-level value."""
        if self.peek() != "":
            raise self._fail("unexpected text after the end of the data")
