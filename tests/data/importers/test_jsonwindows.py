"""Cutting a pretty-printed JSON array into windows of whole elements, on bytes, and decoding them."""

from __future__ import annotations

import io
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from importer_fuzz import FIXTURES, SECRET

from communitylab.data.importers import read_chat
from communitylab.data.importers._jsonwindows import ElementWindows, loads_window

ELEMENTS = [{"id": i, "text": f"message {i} with {'words ' * (i % 7)}", "tags": [i, {"k": "}"}]} for i in range(60)]


def _cut(data: bytes, window_bytes: int) -> tuple[list, ElementWindows]:
    """The elements decoded window by window from the first element of the "messages" array."""
    first = data.index(b"{", data.index(b"["))
    windows = ElementWindows(io.BytesIO(data), first, b"    ", window_bytes)  # json.dumps(indent=2): elements at 4
    decoded = [element for _start, window in windows for element in loads_window(b"[" + bytes(window) + b"]")]
    return decoded, windows


def test_windows_hold_whole_elements_and_end_at_the_array():
    data = json.dumps({"messages": ELEMENTS, "after": [1, 2]}, indent=2).encode()
    decoded, windows = _cut(data, window_bytes=300)
    assert decoded == ELEMENTS
    assert windows.closed
    assert json.loads(b"{" + data[windows.stop :].lstrip(b" \n,")) == {"after": [1, 2]}  # the rest of the file


def test_an_element_longer_than_a_window_widens_it():
    long = [*ELEMENTS[:3], {"id": 99, "text": "x" * 5000}, *ELEMENTS[3:6]]
    data = json.dumps({"messages": long}, indent=2).encode()
    decoded, windows = _cut(data, window_bytes=100)
    assert decoded == long and windows.closed


def test_an_irregular_layout_stops_after_the_last_regular_element():
    data = json.dumps({"messages": ELEMENTS[:5]}, indent=2).encode()
    third = data.index(b'"id": 2')
    second_end = data.rindex(b"},", 0, third)
    broken = data[:second_end] + b"}x" + data[second_end + 2 :]  # "x" where the comma after the second should be
    decoded, windows = _cut(broken, window_bytes=50)
    assert not windows.closed
    assert decoded == ELEMENTS[:2]
    assert broken[windows.stop :].startswith(b"x")  # where the careful reader takes over


def test_stdlib_json_gives_the_same_table_as_orjson(monkeypatch):
    """orjson is optional at run time: without it (or when it refuses a window) json decodes."""
    from communitylab.data.importers import _jsonwindows

    fast, _ = read_chat(FIXTURES / "telegram_single.json", secret=SECRET)
    monkeypatch.setattr(_jsonwindows, "_orjson", None)
    slow, _ = read_chat(FIXTURES / "telegram_single.json", secret=SECRET)
    assert fast.equals(slow)


def test_window_orjson_refuses_is_read_by_json():
    assert loads_window(b'[{"id": 1, "x": NaN, "big": 123456789012345678901234567890}]')[0]["big"] == (
        123456789012345678901234567890
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([b"\n", b" ", b"\t", b"]", b"x", b"  ]", b"\n]", b"\n ]", b"\n\t]"]), max_size=30),
    st.sampled_from([b"", b" ", b"  ", b"    ", b"\t\t"]),
    st.integers(0, 40),
)
def test_the_array_end_is_the_first_shorter_line_holding_a_bracket(pieces, indent, start):
    """_find_array_end gives the regex search's answer: "\\n", part of the indentation, "]"."""
    data = b"".join(pieces)
    windows = ElementWindows(io.BytesIO(data), 0, indent, 100)
    windows._buf = data
    shorter = b"|".join(re.escape(indent[:k]) for k in range(len(indent)))
    found = re.compile(b"\n(?:" + shorter + b")\\]").search(data, start)
    assert windows._find_array_end(start) == (found.start() if found else -1)
