"""Pages the course server writes itself, without a kernel: the course map, "room full", errors.

Each is one small self-contained HTML document (inline style, no script, no
request off the machine), in the learner's language first.
"""

from __future__ import annotations

import html
from pathlib import Path

from communitylab import i18n

__all__ = ["page_lang", "message_page", "course_map_page"]

_STYLE = (
    "body{font-family:system-ui,'Noto Sans','Noto Sans CJK SC',sans-serif;color:#222;line-height:1.5}"
    ".cl-message{max-width:40em;margin:12vh auto;padding:0 1em}.cl-message section+section{margin-top:2em;color:#555}"
    ".cl-message h1{font-size:1.5em;color:#1f4e79}"
    ".cl-langs a{display:inline-block;padding:4px 14px;margin:0 4px 12px 0;border:1px solid #ccd;border-radius:4px;"
    "color:#1f4e79;text-decoration:none}.cl-langs a.cl-current{background:#1f4e79;color:#fff}"
)


def page_lang(path: str, query_lang: str | None = None) -> str:
    """The language a page speaks: its folder's (``/zh/``), else ``?lang=``, else English."""
    if "/zh/" in f"/{path}":
        return "zh_CN"
    return i18n.normalize_lang(query_lang) or i18n.DEFAULT_LANG


def message_page(title_key: str, body_key: str, lang: str, **values) -> str:
    """A small self-contained bilingual page: the learner's language first, then the other one."""
    other = "en" if lang == "zh_CN" else "zh_CN"
    sections = "".join(
        f'<section lang="{code.replace("_", "-")}"><h1>{html.escape(i18n.t(title_key, code))}</h1>'
        f"<p>{html.escape(i18n.t(body_key, code, **values))}</p></section>"
        for code in (lang, other)
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(i18n.t(title_key, lang))}</title><style>{_STYLE}</style></head>"
        f'<body><div class="cl-message">{sections}</div></body></html>'
    )


def course_map_page(root: Path, lang: str) -> str:
    """The course map as the server's home page: every lesson one click away, with no kernel behind it.

    A room arrives here from the QR code; the notebook landing page would cost each
    learner a kernel just to show links.
    """
    from communitylab.labs.landing import MAP_CSS, course_map_html

    langs = "".join(
        f'<a href="?lang={code}" class="{"cl-current" if code == lang else ""}">{name}</a>'
        for code, name in (("en", "English"), ("zh_CN", "中文"))
    )
    body = course_map_html(
        root / "notebooks",
        lang,
        lessons_url="voila/render/notebooks/",
        exercises_url="voila/render/exercises",
        exercises_dir=root / "exercises",
    )
    return (
        f'<!DOCTYPE html><html lang="{lang.replace("_", "-")}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(i18n.t('course.title', lang))}</title><style>{_STYLE}</style>{MAP_CSS}</head>"
        f'<body><div class="cl-map" style="margin:2em auto;padding:0 1em">'
        f'<div class="cl-langs">{langs}</div>{body}</div></body></html>'
    )
