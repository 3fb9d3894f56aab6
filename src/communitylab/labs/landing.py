"""The course map shown on the Voila landing page: every module one click away."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W

from communitylab import i18n
from communitylab.course import LANG_FOLDERS, MODULES
from communitylab.i18n import t
from communitylab.labs._style import LAB_CSS
from communitylab.labs._widgets import close_descendants, language_toggle

__all__ = ["CourseMap", "course_map_html", "MAP_CSS"]


MAP_CSS = """
<style>
.cl-map { font-family: system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif; max-width: 1180px; }
.cl-map .cl-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 12px; }
.cl-map .cl-card { border: 1px solid #d6dde6; border-radius: 8px; padding: 12px 14px; background: #f7f9fc; }
.cl-map .cl-card h3 { margin: 0 0 4px 0; font-size: 1.08em; }
.cl-map .cl-card h3 a { color: #1f4e79; text-decoration: none; }
.cl-map .cl-card p { margin: 4px 0 8px 0; color: #333; line-height: 1.4; }
.cl-map .cl-card .cl-links a { margin-right: 12px; font-size: 0.92em; }
.cl-map .cl-number { color: #888; font-weight: 600; margin-right: 6px; }
.cl-map .cl-intro { line-height: 1.5; max-width: 900px; }
</style>
"""


class CourseMap(W.VBox):
    """Cards for the modules whose notebooks exist, with links in the chosen language.

    Parameters
    ----------
    root : path, optional
        Folder holding ``en/`` and ``zh/`` notebooks (default: the current folder,
        which is where Voila runs the landing notebook).
    exercises : path, optional
        Folder holding the exercise notebooks, as a link relative to ``root``.
    """

    def __init__(self, root: str | Path = ".", exercises: str = "../exercises") -> None:
        self._root = Path(root)
        self._exercises = exercises
        self._language = language_toggle()
        self._body = W.HTML()
        self._language.observe(self._handle_language_toggle, names="value")
        self._unsubscribe = i18n.on_lang_change(self._handle_lang_change)  # held weakly
        super().__init__([W.HTML(LAB_CSS + MAP_CSS), self._language, self._body])
        self.add_class("cl-map")
        self._render()

    def links(self) -> list[str]:
        """The notebook links shown now (relative URLs), for tests."""
        lang = i18n.get_lang()
        return [self._notebook_href(module, lang) for module in self._available()]

    def _available(self):
        folder = self._root / LANG_FOLDERS[i18n.get_lang()]
        return [module for module in MODULES if (folder / module.notebook).exists()]

    def _notebook_href(self, module, lang: str) -> str:
        return f"{LANG_FOLDERS[lang]}/{module.notebook}?lang={lang}"

    def close(self) -> None:
        """Stop following language switches and close the map and its widgets."""
        # ipywidgets also calls close() from __del__, on a lab whose __init__ may have failed early
        getattr(self, "_unsubscribe", lambda: None)()
        close_descendants(self)
        super().close()

    def _handle_language_toggle(self, change: dict) -> None:
        i18n.set_lang(change["new"])

    def _handle_lang_change(self, _lang: str) -> None:
        self._render()

    def _render(self) -> None:
        lang = i18n.get_lang()
        self._language.value = lang
        self._body.value = course_map_html(
            self._root, lang, exercises_url=self._exercises, exercises_dir=self._root / self._exercises
        )


def course_map_html(
    root: str | Path, lang: str, lessons_url: str = "", exercises_url: str = "../exercises", exercises_dir=None
) -> str:
    """The course map in ``lang``: title, introduction and one card per module whose notebook exists.

    Parameters
    ----------
    root : path
        Folder holding the ``en/`` and ``zh/`` lesson notebooks.
    lang : str
        Catalog language of the texts and of the lessons linked.
    lessons_url : str
        URL prefix of the lesson links (empty: relative to the landing notebook in ``root``).
    exercises_url : str
        URL of the exercise notebooks' folder, relative to the page.
    exercises_dir : path, optional
        That folder on disk (default: ``root/../exercises``).
    """
    root, folder = Path(root), LANG_FOLDERS[lang]
    exercises_dir = Path(exercises_dir) if exercises_dir is not None else root / "../exercises"
    cards = []
    for module in MODULES:
        if not (root / folder / module.notebook).exists():
            continue
        href = html.escape(f"{lessons_url}{folder}/{module.notebook}?lang={lang}")
        links = [
            f'<a href="{href}">{t("course.open_lesson", lang)}</a>',
            f'<a href="{href}&amp;present=1">{t("course.open_presenter", lang)}</a>',
        ]
        if (exercises_dir / folder / module.exercises).exists():
            exercise_href = html.escape(f"{exercises_url}/{folder}/{module.exercises}?lang={lang}")
            links.append(f'<a href="{exercise_href}">{t("course.open_exercises", lang)}</a>')
        cards.append(
            f'<div class="cl-card"><h3><span class="cl-number">{module.number}</span>'
            f'<a href="{href}">{html.escape(module.title(lang))}</a></h3>'
            f"<p>{html.escape(module.summary(lang))}</p>"
            f'<div class="cl-links">{"".join(links)}</div></div>'
        )
    return (
        f'<h1>{t("course.title", lang)}</h1><div class="cl-intro">{t("course.intro", lang)}</div>'
        f'<h2>{t("course.map", lang)}</h2><div class="cl-cards">{"".join(cards)}</div>'
    )
