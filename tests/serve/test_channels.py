"""The course server's reader of binary websocket headers (communitylab.serve.channels.read_v1_header)."""

from __future__ import annotations

from jupyter_server.services.kernels.connection.base import serialize_binary_message, serialize_msg_to_ws_v1

from communitylab.serve.channels import read_v1_header

HEADER = {"msg_id": "m-1", "msg_type": "comm_msg", "session": "s", "username": "", "version": "5.3", "date": ""}


def test_a_v1_message_gives_its_header():
    parts = [b'{"msg_id": "m-1", "msg_type": "comm_msg"}', b"{}", b"{}", b'{"comm_id": "c"}', b"\x00" * 4096]
    assert read_v1_header(serialize_msg_to_ws_v1(parts, "iopub")) == {"msg_id": "m-1", "msg_type": "comm_msg"}


def test_a_message_in_the_older_binary_framing_gives_none():
    """Its first 8 bytes, read as v1's little-endian count, are in the billions; nothing is looped over."""
    message = {
        "header": HEADER,
        "parent_header": {},
        "metadata": {},
        "content": {"comm_id": "c", "data": {"state": {}, "buffer_paths": [["records"]]}},
        "channel": "iopub",
        "buffers": [b"[" + b"1," * 5000 + b"1]"],
    }
    framed = serialize_binary_message(message)
    assert int.from_bytes(framed[:8], "little") > 10**9  # what Voila's reader would have looped over
    assert read_v1_header(framed) is None


def test_short_and_garbled_messages_give_none():
    for garbage in (b"", b"\x01", (3).to_bytes(8, "little") + b"\xff" * 24, (2**40).to_bytes(8, "little")):
        assert read_v1_header(garbage) is None
