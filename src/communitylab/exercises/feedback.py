"""Feedback boxes and where a notebook's output goes: HTML with a text fallback in IPython, text elsewhere."""

from __future__ import annotations

import html
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

__all__ = ["Feedback", "show", "in_voila", "user_namespace", "markdown", "show_markdown", "inline", "FROM_NAMESPACE"]

#: Default of ``check(answer=...)``: read the answer from the notebook's namespace.
FROM_NAMESPACE = object()

# tone -> (text colour, background, border); chosen for contrast on white and in dark themes' cells
TONES: dict[str, tuple[str, str, str]] = {
    "correct": ("#14532d", "#e7f6ec", "#2e7d32"),
    "incorrect": ("#7f1d1d", "#fdecea", "#c62828"),
    "not_attempted": ("#37474f", "#f1f3f4", "#90a4ae"),
    "error": ("#7a3e00", "#fff4e5", "#ef6c00"),
    "hint": ("#4a2c7a", "#f3eefa", "#7e57c2"),
    "solution": ("#0d3c8c", "#e8f0fe", "#1a73e8"),
    "locked": ("#37474f", "#f1f3f4", "#90a4ae"),
}
SYMBOLS = {
    "correct": "✔",
    "incorrect": "✘",
    "not_attempted": "…",
    "error": "⚠",
    "hint": "ℹ",
    "solution": "✎",
    "locked": "⊘",
}


def inline(text: str) -> str:
    """Escape text for HTML and render `backticks` as code."""
    escaped = html.escape(text, quote=False)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


@dataclass(frozen=True)
class Feedback:
    """One message to the learner, in the current language, ready to show.

    Attributes
    ----------
    tone : str
        ``correct``, ``incorrect``, ``not_attempted``, ``error``, ``hint``, ``solution`` or ``locked``.
    heading : str
        Short first words ("Correct", "Hint 1 of 3").
    body : str
        The message.
    details : tuple of str
        Further lines shown as a list.
    code : str or None
        Code shown in a block (the solution).
    """

    tone: str
    heading: str
    body: str
    details: tuple[str, ...] = ()
    code: str | None = None

    def html(self) -> str:
        """The feedback as a coloured HTML box."""
        fg, bg, border = TONES[self.tone]
        parts = [
            f'<div class="cl-feedback cl-{self.tone}" style="color:{fg};background:{bg};'
            f"border-left:4px solid {border};padding:6px 10px;margin:4px 0;border-radius:3px;"
            f'font-family:var(--jp-content-font-family, sans-serif);line-height:1.45">',
            f"<strong>{SYMBOLS[self.tone]} {html.escape(self.heading)}</strong> {inline(self.body)}",
        ]
        if self.details:
            parts.append('<ul style="margin:4px 0 0 0;padding-left:20px">')
            parts.extend(f"<li>{inline(line)}</li>" for line in self.details)
            parts.append("</ul>")
        if self.code:
            parts.append(
                '<pre style="background:#fff;color:#1f2328;padding:6px;margin:6px 0 0 0;'
                f'border:1px solid #d0d7de;overflow-x:auto"><code>{html.escape(self.code)}</code></pre>'
            )
        parts.append("</div>")
        return "".join(parts)

    def text(self) -> str:
        """The feedback as plain text."""
        lines = [f"{SYMBOLS[self.tone]} {self.heading} {self.body}".rstrip()]
        lines += [f"  - {line}" for line in self.details]
        if self.code:
            lines += ["", *("    " + line for line in self.code.splitlines())]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.html()

    def __str__(self) -> str:
        return self.text()


def show(feedback: Feedback) -> None:
    """Display in IPython (HTML + text), else print."""
    shell = ipython()
    if shell is not None:
        from IPython.display import display

        display({"text/html": feedback.html(), "text/plain": feedback.text()}, raw=True)
    else:
        print(feedback.text())


def ipython():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return None
    return get_ipython()


def in_voila() -> bool:
    """Whether this kernel serves a Voila page (Voila sets these variables in its kernels)."""
    if os.environ.get("SERVER_SOFTWARE", "").lower().startswith("voila"):
        return True
    return any(name in os.environ for name in ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "VOILA_BASE_URL"))


def user_namespace() -> dict[str, Any]:
    """The namespace the learner's cells run in (see the module docstring)."""
    shell = ipython()
    if shell is not None:
        return shell.user_ns
    return vars(sys.modules["__main__"])


def show_markdown(text: str) -> None:
    """Display markdown as HTML in IPython, else print it."""
    if ipython() is not None:
        from IPython.display import display

        display({"text/html": markdown(text), "text/plain": text}, raw=True)
    else:
        print(text)


def markdown(text: str) -> str:
    import mistune

    return mistune.html(text)
