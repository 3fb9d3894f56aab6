"""What checking an answer gives: an :class:`Outcome`, and the markers for "not answered yet".

An outcome's message is a catalog key plus values, so the same outcome can be
shown in English or Chinese, as HTML or as text (:mod:`.view` does the showing).
The learner's starting code holds the placeholder :data:`____`; an answer that
still contains it counts as *not attempted*, never as wrong.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from communitylab.i18n import has, t

__all__ = [
    "____",
    "Blank",
    "MISSING",
    "contains_blank",
    "Outcome",
    "Correct",
    "Incorrect",
    "NotAttempted",
    "CodeError",
    "LearnerCodeFailed",
    "summarise_exception",
    "Localised",
]


class Blank:
    """The placeholder a learner replaces. There is exactly one: :data:`____`."""

    _instance: Blank | None = None

    def __new__(cls) -> Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __reduce__(self):
        # pickling (e.g. across processes) must give back the same singleton
        return (Blank, ())


#: Placeholder in starter code: "fill me in".
____ = Blank()


class _Missing:
    """Marker for "the learner has not defined the name at all"."""

    def __repr__(self) -> str:
        return "<missing>"


#: The answer when the learner's name is not defined in the notebook.
MISSING = _Missing()


def contains_blank(value: Any, _depth: int = 0) -> bool:
    """Whether ``value`` is :data:`____` or holds it inside a list, tuple, set or dict."""
    if value is ____:
        return True
    if _depth > 4:
        return False
    if isinstance(value, Mapping):
        return any(contains_blank(v, _depth + 1) or k is ____ for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(contains_blank(v, _depth + 1) for v in value)
    return False


# -- outcomes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """Result of checking one answer.

    Each kind of outcome is a subclass named by its ``status``; its main message is
    ``exercises.outcome.<status>`` unless a ``key`` is given.

    Attributes
    ----------
    key : str
        Catalog key of the main message (default: the kind's own).
    values : dict
        Values filled into the message's placeholders.
    lines : tuple of (str, dict)
        Further catalog messages shown as a list under the main one (e.g. one per goal
        of a simulation target).
    wrong : str or None
        Id of the known-wrong answer this answer matched, if any.
    """

    key: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)
    lines: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    wrong: str | None = None

    #: The kind of outcome, as progress records and feedback styles name it.
    status: ClassVar[str] = "outcome"

    def __post_init__(self) -> None:
        if not self.key:  # frozen: set the default message once, here
            object.__setattr__(self, "key", f"exercises.outcome.{self.status}")

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def message(self, lang: str | None = None) -> str:
        """The main message in ``lang`` (default: the current language)."""
        return t(self.key, lang, **localise(self.values, lang))

    def details(self, lang: str | None = None) -> list[str]:
        """The further lines in ``lang``."""
        return [t(key, lang, **localise(values, lang)) for key, values in self.lines]

    def text(self, lang: str | None = None) -> str:
        """Main message and details as plain text."""
        return "\n".join([self.message(lang)] + [f"  - {line}" for line in self.details(lang)])


class Correct(Outcome):
    """The answer is right."""

    status = "correct"


class Incorrect(Outcome):
    """The answer is wrong; ``wrong`` names the known wrong answer it matched, if any."""

    status = "incorrect"


class NotAttempted(Outcome):
    """The name is missing or still holds :data:`____`: not a wrong answer."""

    status = "not_attempted"


class CodeError(Outcome):
    """The learner's own code raised while being checked (or the answer could not be checked)."""

    status = "error"


class LearnerCodeFailed(Exception):
    """Raised inside a check when the learner's function raises; carries a summary."""

    def __init__(self, error: BaseException, case: str) -> None:
        super().__init__(str(error))
        self.summary = summarise_exception(error)
        self.case = case


def summarise_exception(error: BaseException) -> str:
    """``"ZeroDivisionError: division by zero (line 3)"``: the learner's error in one line."""
    text = f"{type(error).__name__}: {error}".strip().rstrip(":")
    frames = traceback.extract_tb(error.__traceback__)
    # The innermost frame that is not ours is the learner's own line.
    own = [f for f in frames if "communitylab" not in f.filename.replace("\\", "/").split("/site-packages/")[-1]]
    if own and own[-1].lineno:
        text += f" (line {own[-1].lineno})"
    return text if len(text) <= 200 else text[:197] + "..."


class Localised:
    """A value whose text depends on the language (a catalog key), resolved at display time.

    ``before`` is put in front of the text (a number before its unit); ``fallback`` is
    shown when the catalog has no such key (a unit such as ``%`` that every language writes alike).
    """

    def __init__(self, key: str, before: str = "", fallback: str | None = None) -> None:
        self.key, self.before, self.fallback = key, before, fallback

    def text(self, lang: str | None) -> str:
        if self.fallback is not None and not has(self.key, lang):
            return self.before + self.fallback
        return self.before + t(self.key, lang)

    def __repr__(self) -> str:
        return f"Localised({self.key!r})"


def localise(values: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    return {k: (v.text(lang) if isinstance(v, Localised) else v) for k, v in values.items()}
