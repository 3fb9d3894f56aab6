"""Message catalogs (English and Simplified Chinese) and the current language.

Every string a widget, a chart or a check shows comes from a catalog file in
``catalogs/<lang>/*.toml``. A file holds nested TOML tables that flatten to
dotted keys, e.g. ``attention.param.members.label``. The language comes from
:func:`set_lang`, else the ``COMMUNITYLAB_LANG`` environment variable, else the
``lang`` query parameter Voila passes in ``QUERY_STRING``, else English.
"""

from __future__ import annotations

import inspect
import os
import threading
import tomllib
import warnings
import weakref
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

__all__ = ["LANGS", "t", "get_lang", "set_lang", "normalize_lang", "catalog", "on_lang_change", "listener_count"]

#: Supported languages, as catalog folder names.
LANGS: tuple[str, ...] = ("en", "zh_CN")
DEFAULT_LANG = "en"

_chosen: str | None = None
#: Each listener as a zero-argument function that returns the callback, or ``None`` once its object is gone.
_listeners: list[Callable[[], Callable[[str], None] | None]] = []
#: set_lang may run on the preheated kernel's thread (see communitylab.course) while a lab subscribes.
_listeners_lock = threading.Lock()


def normalize_lang(value: str | None) -> str | None:
    """Map user spellings (``zh``, ``zh-CN``, ``zh_cn``, ``EN``) to a catalog name, or ``None``."""
    if not value:
        return None
    key = value.strip().replace("-", "_").lower()
    if key.startswith("zh"):
        return "zh_CN"
    if key.startswith("en"):
        return "en"
    return None


def _lang_from_query() -> str | None:
    """The ``lang`` parameter of the page URL when running inside Voila."""
    query = parse_qs(os.environ.get("QUERY_STRING", ""))
    return normalize_lang(query.get("lang", [None])[0])


def get_lang() -> str:
    """The language in force now."""
    return _chosen or normalize_lang(os.environ.get("COMMUNITYLAB_LANG")) or _lang_from_query() or DEFAULT_LANG


def set_lang(lang: str | None) -> str:
    """Choose the language for this process (``None`` returns to the environment's choice).

    Labs listening through :func:`on_lang_change` relabel themselves.
    """
    global _chosen
    if lang is None:
        _chosen = None
    else:
        normalized = normalize_lang(lang)
        if normalized is None:
            raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGS)}")
        _chosen = normalized
    current = get_lang()
    with _listeners_lock:
        _prune()
        listeners = list(_listeners)  # a listener may subscribe or unsubscribe while we call them
    for reference in listeners:
        callback = reference()
        if callback is not None:
            callback(current)
    return current


def on_lang_change(callback: Callable[[str], None]) -> Callable[[], None]:
    """Call ``callback(lang)`` whenever :func:`set_lang` runs; returns an unsubscribe function.

    A bound method (a lab's ``self._handle_lang_change``) is held weakly: the subscription does not keep its
    object alive, and it ends by itself when the object is collected. Without this every lab ever created
    relabelled and redrew its chart on every language switch for the life of the kernel. Any other callable
    (a function, a lambda, a builtin's bound method such as ``list.append``) is held strongly, because nothing
    else may hold it; such a subscriber must call the returned function when it is done.
    """
    if inspect.ismethod(callback):
        reference: Callable[[], Callable[[str], None] | None] = weakref.WeakMethod(callback)
    else:

        def reference(callback=callback):
            return callback

    with _listeners_lock:
        _prune()
        _listeners.append(reference)

    def unsubscribe() -> None:
        with _listeners_lock:
            # by identity: two weak references to one method compare equal, and only this one is ours
            _listeners[:] = [other for other in _listeners if other is not reference]

    return unsubscribe


def _prune() -> None:
    """Forget the weak listeners whose object is gone (called with the lock held).

    Not done from a weakref callback: the garbage collector may run one while this thread holds the lock.
    """
    _listeners[:] = [reference for reference in _listeners if reference() is not None]


def listener_count() -> int:
    """How many language listeners are subscribed and alive (for tests of the subscribers' lifetimes)."""
    with _listeners_lock:
        _prune()
        return len(_listeners)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of one language, merged from every catalog file.

    Raises
    ------
    ValueError
        If two files define the same key (one key, one owner).
    """
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGS)}")
    merged: dict[str, str] = {}
    folder = resources.files("communitylab.i18n") / "catalogs" / lang
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        try:
            flat = _flatten(tomllib.loads(entry.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"catalog {lang}/{entry.name} is not valid TOML: {error}") from None
        clash = sorted(set(flat) & set(merged))
        if clash:
            raise ValueError(f"catalog {lang}/{entry.name} redefines keys: {', '.join(clash[:5])}")
        merged.update(flat)
    return merged


def t(key: str, lang: str | None = None, /, **values: Any) -> str:
    """Look up a message and fill its ``{placeholders}``.

    Falls back to English, then to the key itself (with a warning), so a missing
    translation never breaks a live workshop; the catalog test fails on it instead.
    """
    lang = lang or get_lang()
    text = catalog(lang).get(key)
    if text is None:
        text = catalog(DEFAULT_LANG).get(key)
        if text is None:
            warnings.warn(f"missing message {key!r}", RuntimeWarning, stacklevel=2)
            return key
    return text.format(**values) if values else text


def has(key: str, lang: str | None = None) -> bool:
    """Whether ``key`` exists in the language's catalog."""
    return key in catalog(lang or get_lang())
