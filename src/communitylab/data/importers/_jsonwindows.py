"""Windows of whole array elements, cut and decoded on a file's bytes: the fast path of
:mod:`._jsonstream` for pretty-printed exports.

Cutting needs no decoding (:class:`ElementWindows`), so worker processes can each take
their own windows of one file; a window is then decoded by one call (:func:`loads_window`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

import numpy as np

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


_BYTE_WHITESPACE = re.compile(rb"[ \t\n\r]*")
_CLOSE, _NEWLINE = ord("]"), ord("\n")
#: One element larger than this is treated as broken JSON rather than read on and on.
MAX_ELEMENT_BYTES = 64 * 1024**2


class NotSplittable(Exception):
    """Raised by :meth:`JsonStream.byte_windows` when an array cannot be cut ahead of decoding."""


class ElementWindows:
    """Cuts a pretty-printed JSON array into windows of whole elements, on the file's bytes.

    An element ends where a line holds only its closing brace at the element's own
    indentation (JSON strings cannot hold raw line breaks, so this never cuts inside a
    string); the array ends at the first line holding "]" at a shorter indentation. Bytes
    are searched and cut, never decoded here: the ASCII structure is one byte per character,
    while the decoded text of an emoji-rich export takes four bytes per character.

    Iterating yields ``(start, window)``: the file offset of a window and a view of its bytes
    (valid until the next window), about ``window_bytes`` long (longer only when one element
    is). Afterwards ``closed`` tells whether the array's "]" was reached; ``stop`` is the
    offset just after it, or where the regular layout ended (at an element, or right after
    one): from there the caller reads the careful way.

    Parameters
    ----------
    raw : binary file
        The export, opened for reading.
    offset : int
        Byte offset of the array's first element.
    indent : bytes
        Indentation of the elements' lines.
    window_bytes : int
        Bytes of a window (the file is read this much at a time).
    lines_before : int
        Newlines before ``offset`` (kept for the caller, which resumes reading text).
    """

    def __init__(self, raw: IO[bytes], offset: int, indent: bytes, window_bytes: int, lines_before: int = 0):
        self.raw, self.offset, self.lines_before = raw, offset, lines_before
        self.stop, self.closed = offset, False
        self._window = window_bytes
        self._closing = b"\n" + indent + b"}"
        # The array's "]" on a line indented less than its elements ("\n", 0 .. len(indent)-1
        # bytes of the indentation, "]"): found among the "]" bytes (see _find_array_end).
        self._indent = np.frombuffer(indent, dtype=np.uint8)
        self._longest_end = len(indent) + 2

    def __iter__(self) -> Iterator[tuple[int, memoryview]]:
        self.raw.seek(self.offset)
        self._buf, self._base, self._eof = b"", self.offset, False
        self._scanned, self._end = 0, -1  # buf[:scanned] holds no array end; end: where it is
        pos = 0
        while True:
            need = self._window
            while True:  # the last element end within a window (a longer element widens it)
                pos = self._load(pos, pos + need)
                bound = self._end if self._end >= 0 else len(self._buf)
                limit = min(pos + need, bound)
                cut = self._buf.rfind(self._closing, pos, limit)
                more_to_read = self._end < 0 and not self._eof
                if cut >= 0 or (limit >= bound and not more_to_read) or need > MAX_ELEMENT_BYTES:
                    break
                need += self._window
            if cut < 0:
                break  # no element ends here: irregular
            end = cut + len(self._closing)
            yield self._base + pos, memoryview(self._buf)[pos:end]
            pos = end
            nxt = _BYTE_WHITESPACE.match(self._buf, pos).end()
            while nxt >= len(self._buf) and self._end < 0 and not self._eof:  # the separator is further on
                pos = self._load(pos, len(self._buf) + self._window)
                nxt = _BYTE_WHITESPACE.match(self._buf, pos).end()
            separator = self._buf[nxt : nxt + 1]
            if separator == b"]":
                self.stop, self.closed = self._base + nxt + 1, True
                return
            if separator != b",":
                break  # something else after an element: irregular
            pos = nxt + 1
        self.stop = self._base + pos

    def _find_array_end(self, start: int) -> int:
        """Offset in the buffer of the first line break that starts the array's end, or -1.

        The "]" bytes are listed with numpy and only their few preceding bytes compared: a
        regex (or ``bytes.find``) for the end would stop at every line break or space of a
        pretty-printed file, about 0.7 s for 365 MB against 0.15 s.
        """
        data = np.frombuffer(self._buf, dtype=np.uint8)
        closes = np.flatnonzero(data[start:] == _CLOSE) + start
        best = -1
        for spaces in range(max(len(self._indent), 1)):  # "\n", indent[:spaces], "]"
            line = closes - spaces - 1
            ok = line >= start
            line = line[ok]
            ok = data[line] == _NEWLINE
            for j in range(spaces):
                ok &= data[line + 1 + j] == self._indent[j]
            if ok.any():
                first = int(line[ok][0])
                best = first if best < 0 else min(best, first)
        return best

    def _load(self, pos: int, upto: int) -> int:
        """Read until the buffer holds ``upto`` bytes (from its start), the array's end or the
        file's end; the bytes before ``pos`` are dropped first. Returns ``pos`` in the new buffer."""
        if len(self._buf) >= upto or self._end >= 0 or self._eof:
            return pos
        self._buf, self._base = self._buf[pos:], self._base + pos
        self._scanned = max(self._scanned - pos, 0)
        upto -= pos
        while len(self._buf) < upto and not self._eof:
            more = self.raw.read(max(upto - len(self._buf), self._window))
            if not more:
                self._eof = True
                break
            self._buf += more
            found = self._find_array_end(max(self._scanned - self._longest_end, 0))
            if found >= 0:
                self._end = found
                break
            self._scanned = len(self._buf)
        return 0
