"""The kernel websocket of the course server: nothing from a kernel's insides reaches the browser.

A malformed widget message from a page (wrong types, unknown comm, bad buffers)
makes the kernel publish an ``error`` message whose traceback names files of the
server, and some failures print tracebacks on the kernel's stderr stream. Jupyter
Server's own switch (``allow_tracebacks=False``) reads the replacement text from
the wrong object in jupyter_server 2.x and then drops the whole channel, so the
scrubbing is done here instead, on every message to the browser:

* ``error``: name, value and traceback replaced by one bilingual sentence;
* ``stream`` on stderr: text that shows a traceback or a file path is replaced;
* an Output widget's stored outputs (``comm_msg`` state ``outputs``): the same.

It also replaces Voila's reader of a binary message's header (:func:`read_v1_header`), which trusts the
first eight bytes as a count of offsets: a message framed in Jupyter's older binary format, sent to a
client that did not ask for the v1 websocket protocol, reads as a count in the billions and stalls the
whole server in one list comprehension (seen with 5 clients and widget state sent as binary buffers).
"""

from __future__ import annotations

import json
import re
from typing import Any

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["ScrubbedChannels", "TRACEBACK_REPLACEMENT", "scrub_text", "scrub_outputs", "read_v1_header"]

#: Parts of a v1 websocket message: channel, header, parent header, metadata, content, then buffers.
_MAX_V1_PARTS = 1024

TRACEBACK_REPLACEMENT = "An error occurred; the trainer's terminal has the details. 出错了，详情见讲师的终端。"
#: A traceback header, a "File ..." frame, or an absolute path of a few parts (POSIX or Windows).
_REVEALING = re.compile(r"Traceback \(most recent call last\)|File \"|(?:/[\w.+-]+){2,}|[A-Za-z]:\\\\?\w")


def scrub_text(text: str) -> str:
    """``text`` itself, or the replacement sentence when it shows a traceback or a file path."""
    return TRACEBACK_REPLACEMENT if _REVEALING.search(text or "") else text


def _scrub_error(content: dict[str, Any]) -> dict[str, Any]:
    return {**content, "ename": "Error", "evalue": TRACEBACK_REPLACEMENT, "traceback": []}


def scrub_outputs(outputs: list[Any]) -> list[Any]:
    """Notebook outputs with errors and revealing stderr text replaced."""
    clean = []
    for output in outputs:
        if isinstance(output, dict) and output.get("output_type") == "error":
            output = _scrub_error(output)
        elif isinstance(output, dict) and output.get("output_type") == "stream" and output.get("name") == "stderr":
            output = {**output, "text": scrub_text(str(output.get("text", "")))}
        clean.append(output)
    return clean


def scrub_content(msg_type: str, content: dict[str, Any]) -> dict[str, Any] | None:
    """The content to send instead of ``content`` of an iopub message, or ``None`` to send it unchanged."""
    if msg_type == "error":
        return _scrub_error(content)
    if msg_type == "stream" and content.get("name") == "stderr":
        text = str(content.get("text", ""))
        scrubbed = scrub_text(text)
        return None if scrubbed == text else {**content, "text": scrubbed}
    if msg_type == "comm_msg":
        state = (content.get("data") or {}).get("state") if isinstance(content.get("data"), dict) else None
        if isinstance(state, dict) and isinstance(state.get("outputs"), list):
            data = {**content["data"], "state": {**state, "outputs": scrub_outputs(state["outputs"])}}
            return {**content, "data": data}
    return None


class ScrubbedChannels(ZMQChannelsWebsocketConnection):
    """Jupyter Server's kernel websocket, scrubbing every iopub message before it leaves."""

    def _on_error(self, channel, msg, msg_list):
        # Called by handle_outgoing_message for every message, with the message still packed in v1 mode.
        if channel != "iopub":
            return
        msg["header"] = self.get_part("header", msg["header"], msg_list)
        msg_type = msg["header"].get("msg_type")
        if msg_type not in ("error", "stream", "comm_msg"):
            return
        packed = msg_list[3] if msg["content"] is None and len(msg_list) > 3 else None
        if msg_type == "comm_msg" and isinstance(packed, bytes) and b'"outputs"' not in packed:
            return  # chart and slider updates: skip decoding what cannot hold outputs
        msg["content"] = self.get_part("content", msg["content"], msg_list)
        replacement = scrub_content(msg_type, msg["content"])
        if replacement is None:
            return
        # the trainer's terminal keeps what the page no longer shows
        content, log = msg["content"], self.multi_kernel_manager.log
        if msg_type == "error":
            log.warning(
                "Kernel %s: %s: %s (hidden from the page)", self.kernel_id, content.get("ename"), content.get("evalue")
            )
        elif msg_type == "stream":
            log.warning("Kernel %s wrote (hidden from the page):\n%s", self.kernel_id, str(content.get("text"))[-2000:])
        msg["content"] = replacement
        if self.subprotocol == "v1.kernel.websocket.jupyter.org":
            msg_list[3] = self.session.pack(replacement)


def read_v1_header(ws_msg: bytes) -> dict | None:
    """The header of a message in the v1 websocket framing, or ``None`` for anything else.

    v1 framing: an 8-byte little-endian count of offsets, the offsets (8 bytes each, from the start),
    then the channel name, header, parent header, metadata, content and buffers. A count the message
    cannot hold means another framing (the older one starts with a 4-byte big-endian count), so no
    header is read; Voila only needs it to drop ``execute_input`` messages, which never carry buffers.
    """
    if len(ws_msg) < 8:
        return None
    count = int.from_bytes(ws_msg[:8], "little")
    if not 3 <= count <= min(_MAX_V1_PARTS, len(ws_msg) // 8 - 1):
        return None
    offsets = [int.from_bytes(ws_msg[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    try:
        return json.loads(ws_msg[offsets[1] : offsets[2]].decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
