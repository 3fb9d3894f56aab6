"""A file picker that measures a file in the browser before sending it to the kernel.

ipywidgets' ``FileUpload`` sends the whole file in one websocket message. Tornado, under
Jupyter and Voila, closes the connection on a message over 10 MiB, so a larger upload
silently never arrives and the page says nothing. :class:`FilePicker` reads ``file.size``
in JavaScript first: a file that fits is sent as one binary buffer; one that does not is
never sent, and only its name and size go to the kernel, which answers with a message in
the learner's language. Nothing is fetched from the network: the script is inlined.
"""

from __future__ import annotations

from collections.abc import Callable

import anywidget
import traitlets

__all__ = ["FilePicker", "MAX_FILE_BYTES"]

#: Tornado's default limit on one websocket message (``websocket_max_message_size``).
MESSAGE_LIMIT_BYTES = 10 * 2**20
#: Largest file one message can carry: the limit less room for the message's headers (about
#: a kilobyte of JSON; 64 KiB leaves a wide margin).
MAX_FILE_BYTES = MESSAGE_LIMIT_BYTES - 64 * 2**10

_ESM = """
function render({ model, el }) {
  const input = document.createElement("input");
  input.type = "file";
  input.className = "cl-file-input";
  input.style.display = "none";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "jupyter-button widget-button cl-file-button";
  const sync = () => {
    button.textContent = model.get("label");
    input.accept = model.get("accept");
  };
  sync();
  model.on("change:label", sync);
  model.on("change:accept", sync);
  button.addEventListener("click", () => input.click());
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    input.value = "";  // picking the same file again is a new choice
    if (!file) return;
    if (file.size > model.get("max_bytes")) {
      // too large to travel: only its name and size go to the kernel
      model.send({ event: "refused", name: file.name, size: file.size });
      return;
    }
    const content = await file.arrayBuffer();
    model.send({ event: "file", name: file.name, size: file.size }, undefined, [content]);
  });
  el.classList.add("cl-file-picker");
  el.append(button, input);
}
export default { render };
"""


class FilePicker(anywidget.AnyWidget):
    """A button that picks one file and sends it to the kernel if it is at most ``max_bytes``.

    Parameters
    ----------
    on_file : callable(name, content)
        Called with the file name and its bytes when a file that fits arrives.
    on_refused : callable(name, size)
        Called with the file name and its size in bytes when a file was too large to send.
    label : str
        The button's text.
    accept : str
        File types offered by the browser's dialog (``".csv,.json"``); a hint, not a check.
    max_bytes : int
        Largest file sent, at most :data:`MAX_FILE_BYTES`.
    """

    _esm = _ESM
    label = traitlets.Unicode("").tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)
    max_bytes = traitlets.Int(9 * 2**20).tag(sync=True)

    def __init__(
        self,
        on_file: Callable[[str, bytes], object],
        on_refused: Callable[[str, int], object],
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        if not 0 < self.max_bytes <= MAX_FILE_BYTES:
            raise ValueError(
                f"max_bytes must be between 1 and {MAX_FILE_BYTES} (one websocket message), not {self.max_bytes}"
            )
        self._on_file, self._on_refused = on_file, on_refused
        self.on_msg(self._handle_message)

    def _handle_message(self, _widget: object, content: object, buffers: list) -> None:
        """A message from the page; anything not shaped as the script sends it is ignored."""
        if not isinstance(content, dict):
            return
        name = str(content.get("name") or "upload")[:255]
        size = content.get("size")
        size = size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else 0
        if content.get("event") == "file" and buffers:
            self._on_file(name, bytes(buffers[0]))
        elif content.get("event") == "refused":
            self._on_refused(name, size)
