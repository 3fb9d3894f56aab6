"""The file picker: what the browser sends becomes a call, and it never promises more than one message holds."""

from __future__ import annotations

import pytest

from communitylab.labs.file_picker import MAX_FILE_BYTES, FilePicker


def test_messages_from_the_browser_become_calls():
    files, refused = [], []
    picker = FilePicker(on_file=lambda *a: files.append(a), on_refused=lambda *a: refused.append(a), max_bytes=1000)
    picker._handle_message(picker, {"event": "file", "name": "chat.txt", "size": 3}, [memoryview(b"abc")])
    picker._handle_message(picker, {"event": "refused", "name": "big.zip", "size": 5000}, [])
    picker._handle_message(picker, {"event": "file", "name": "empty.txt", "size": 0}, [])  # no buffer: ignored
    assert files == [("chat.txt", b"abc")]
    assert refused == [("big.zip", 5000)]


@pytest.mark.parametrize("content", [None, [], "file", {"event": "refused", "size": "lots"}, {"event": "nope"}])
def test_malformed_messages_are_ignored_or_made_safe(content):
    calls = []
    picker = FilePicker(on_file=lambda *a: calls.append(a), on_refused=lambda *a: calls.append(a), max_bytes=1000)
    picker._handle_message(picker, content, [])
    assert calls in ([], [("upload", 0)])


@pytest.mark.parametrize("max_bytes", [0, MAX_FILE_BYTES + 1, 10 * 2**20])
def test_the_limit_must_fit_one_websocket_message(max_bytes):
    with pytest.raises(ValueError, match="websocket message"):
        FilePicker(on_file=print, on_refused=print, max_bytes=max_bytes)


def test_the_script_checks_the_size_before_reading_the_file():
    script = FilePicker._esm
    assert script.index('file.size > model.get("max_bytes")') < script.index("file.arrayBuffer()")
    assert "http" not in script  # nothing fetched: the script is inlined
