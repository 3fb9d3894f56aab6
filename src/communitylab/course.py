"""The course as a whole: its modules, and the one call that starts a notebook.

Every course notebook begins with ``from communitylab.course import start; start()``.
It picks the language from the notebook's folder (``notebooks/zh`` → Chinese; the
landing page, in no language folder, follows ``?lang=...`` or ``COMMUNITYLAB_LANG``),
and makes every altair chart draw offline. Keeping this in one call is what lets the English
and Chinese editions of a notebook share identical code cells.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import altair as alt

from communitylab import i18n
from communitylab.labs._offline import enable_offline_charts

__all__ = ["Module", "MODULES", "start", "notebook_lang"]

#: Folder name of each language's notebooks and exercises.
LANG_FOLDERS: dict[str, str] = {"en": "en", "zh_CN": "zh"}


@dataclass(frozen=True)
class Module:
    """One module of the course.

    Attributes
    ----------
    number : str
        Two-digit module number, e.g. ``"01"``.
    slug : str
        Notebook stem after the number, e.g. ``"value_positioning"``.
    lab : str or None
        Model/lab name, if the module has a live simulation.
    """

    number: str
    slug: str
    lab: str | None = None

    @property
    def notebook(self) -> str:
        """File name of the module's notebook (the same in every language folder)."""
        return f"{self.number}_{self.slug}.ipynb"

    @property
    def exercises(self) -> str:
        """File name of the module's exercise notebook."""
        return f"{self.number}_{self.slug}_exercises.ipynb"

    def title(self, lang: str | None = None) -> str:
        """Translated title."""
        return i18n.t(f"course.module.m{self.number}.title", lang)

    def summary(self, lang: str | None = None) -> str:
        """Translated one-line summary."""
        return i18n.t(f"course.module.m{self.number}.summary", lang)


MODULES: tuple[Module, ...] = (
    Module("00", "welcome"),
    Module("01", "value_positioning", "attention"),
    Module("02", "closed_loop_service", "service_loop"),
    Module("03", "participation_design", "participation"),
    Module("04", "monetization", "monetization"),
    Module("05", "personal_brand", "brand"),
    Module("06", "platform_migration", "migration"),
    Module("07", "community_health", "dashboard"),
    Module("08", "capstone", "community"),
)


def notebook_lang(cwd: Path | None = None) -> str | None:
    """The language implied by the folder a notebook runs in (``.../zh`` → ``"zh_CN"``)."""
    folder = (cwd or Path.cwd()).name
    for lang, name in LANG_FOLDERS.items():
        if folder == name:
            return lang
    return None


def _voila_query_url() -> str | None:
    """Where a preheated Voila kernel hears about the request it was handed to (``voila.utils.wait_for_request``)."""
    kernel_id = os.environ.get("VOILA_KERNEL_ID")
    if os.environ.get("VOILA_PREHEAT") != "True" or not kernel_id:
        return None
    ip = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL") or os.environ.get("VOILA_SERVER_URL", "/")
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    return f"{protocol}://{ip}:{port}{base}voila/query/{kernel_id}"


def _follow_request_language(url: str) -> None:
    """Switch to the requested page's ``?lang=`` once Voila hands this preheated kernel to a request.

    Runs in a daemon thread, so the notebook finishes at once and the page is ready
    whenever it is opened: blocking a preheated cell on the request (what
    ``voila.utils.wait_for_request()`` does) counts the wait against the cell
    timeout, and a page opened after it is "Cell execution timed out". Voila sends
    the request before it sends the page, so the language is set before the
    browser fetches the widgets' state and the page opens in that language.
    """

    def listen() -> None:
        try:
            from websockets.sync.client import connect

            with connect(url, open_timeout=10) as socket:
                request = json.loads(socket.recv())
        except Exception:  # the server went away, or it never asked: the page keeps its language
            return
        os.environ.update({key: str(value) for key, value in request.items()})
        wanted = i18n._lang_from_query()
        if wanted and wanted != i18n.get_lang():
            i18n.set_lang(wanted)

    threading.Thread(target=listen, name="communitylab-request-language", daemon=True).start()


def start(lang: str | None = None) -> None:
    """Prepare a course notebook: choose its language and make charts work offline.

    Parameters
    ----------
    lang : str, optional
        Force a language. By default a notebook in ``en/`` or ``zh/`` speaks its
        folder's language; elsewhere (the landing page) ``?lang=`` in the Voila
        URL decides (in a preheated Voila kernel, as soon as the page is requested,
        without blocking the notebook), then ``COMMUNITYLAB_LANG``, then English.

    Returns nothing, so the hidden first cell shows no output in Voila or JupyterLab;
    :func:`communitylab.i18n.get_lang` tells the language chosen.
    """
    enable_offline_charts()
    # Plain altair charts in a notebook go through JupyterChart too, so they never reach for a CDN.
    alt.renderers.enable("jupyter", offline=True)
    # A lesson's folder decides, so its narrative and its widgets always speak the same language.
    chosen = lang or notebook_lang()
    if chosen is None:
        chosen = i18n._lang_from_query() or i18n.normalize_lang(os.environ.get("COMMUNITYLAB_LANG"))
        url = _voila_query_url()
        if url is not None:
            _follow_request_language(url)
    i18n.set_lang(chosen or i18n.DEFAULT_LANG)
