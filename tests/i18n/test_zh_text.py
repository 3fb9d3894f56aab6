"""The Chinese edition reads as Chinese: full-width punctuation, and nothing left in English.

Two rules, checked on every zh lesson and exercise notebook (their prose) and every zh catalog (every text a
widget or chart shows):

* **Punctuation.** Half-width ``, ; : ? ! ( ) "`` must not touch a Chinese character (also in ``docs/*.zh.md``). Code spans, fenced code,
  formulas, URLs and numbers such as ``1,000`` are not prose and are skipped. The terms and typography follow
  ``docs/glossary.md``.
* **Translation** (catalogs only). A zh value must not equal its English value, and must contain no Latin word
  except those allow-listed below, each group with its reason: names of people, products and units stay in
  Latin script in Chinese, and so do bibliographic data (titles in quotes, venues in italics, author lists).
"""

from __future__ import annotations

import json
import pathlib
import re
import tomllib

import pytest

from communitylab import i18n

ROOT = pathlib.Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "src" / "communitylab" / "i18n" / "catalogs"
ZH_NOTEBOOKS = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb")) + sorted((ROOT / "exercises" / "zh").glob("*.ipynb"))
ZH_CATALOGS = sorted((CATALOGS / "zh_CN").glob("*.toml"))
ZH_DOCS = sorted((ROOT / "docs").glob("*.zh.md"))

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
#: Half-width punctuation directly before or after a Chinese character.
HALF_WIDTH = re.compile(rf'[{CJK}][,;:?!()"]|[,;:?!()"][{CJK}]')
#: Spans that are not prose: inline code, inline formulas, URLs, ``{placeholders}`` of catalog messages.
NOT_PROSE = re.compile(r"`[^`\n]*`|\$[^$\n]+\$|https?://\S+|\{[A-Za-z_][^{}]*\}")
FENCED = re.compile(r"```.*?```", flags=re.S)

#: Latin words a zh catalog value may contain, grouped by the reason they stay in Latin script.
ALLOWED_WORDS: dict[str, set[str]] = {
    "metrics and units that Chinese operators write in Latin letters": {
        "LTV",
        "CAC",
        "DAU",
        "WAU",
        "MAU",
        "WTP",
        "CSV",
        "JSON",
        "MB",
        "AMA",
        "SaaS",
        "IP",
        "App",
    },
    "names of platforms, tools and products": {
        "Telegram",
        "Discord",
        "Slack",
        "WhatsApp",
        "WeChatMsg",
        "PyWxDump",
        "JupyterLab",
        "Voila",
        "Mesa",
        "Twitter",
        "Usenet",
        "PNAS",
    },
    "names of models, distributions and functions": {
        "logit",
        "Logit",
        "ln",
        "exp",
        "sigmoid",
        "Poisson",
        "Bass",
        "Galton",
        "Watson",
        "Borel",
        "Lorenz",
        "Gini",
    },
    "Python names a learner types": {"True", "False", "None", "numpy", "pandas", "DataFrame", "def"},
    "cited authors (in-text citations keep the original spelling)": {
        "McFadden",
        "Salop",
        "Simon",
        "Weng",
        "Jones",
        "Ravid",
        "Rafaeli",
        "Sultan",
        "Farley",
        "Lehmann",
        "van",
        "Mierlo",
        "Nielsen",
        "Wu",
        "Huberman",
        "Granovetter",
        "Hawkes",
        "Lally",
        "Deci",
        "Koestner",
        "Ryan",
        "Kumar",
        "Kempe",
        "Kleinberg",
        "Tardos",
        "Goel",
        "Watts",
        "Goldstein",
        "Fader",
        "Hardie",
    },
    "bibliographic words outside titles and venues (editors, publishers, 'et al.')": {
        "et",
        "al",
        "ed",
        "eds",
        "pp",
        "Zarembka",
        "Greenberger",
        "Academic",
        "Press",
        "Johns",
        "Hopkins",
        "Norman",
        "Group",
        "Alertbox",
        "Bologna",
    },
}
ALLOWED = set().union(*ALLOWED_WORDS.values())

#: Keys whose zh value may equal the English one, with the reason.
SAME_AS_ENGLISH = {
    "dashboard.report.reference_list": "a bibliography, kept in the language of the works cited",
    "ex04.goal.ltv_cac": "a formula (LTV/CAC) that Chinese writes the same way",
    "migration.monitor_text.funnel": "two numbers and a slash, nothing to translate",
    **{
        f"dashboard.format.{name}": "a product name, written the same in Chinese"
        for name in ("telegram", "discord", "whatsapp", "slack")
    },
}
#: Keys exempt from the Latin-word rule, with the reason.
LATIN_ALLOWED_KEYS = {
    "dashboard.report.reference_list": "a bibliography, kept in the language of the works cited",
}

#: Bibliographic data kept in its own script: "quoted titles", *italic venues*, and author lists with their year,
#: e.g. ``Lally, P., van Jaarsveld, C. H. M. & Wardle, J. (2010)``.
_NAME = r"(?:(?:van|de|von) )?[A-Z][A-Za-z'’\-]+(?: [A-Z][A-Za-z'’\-]+)*"
_INITIALS = r"(?:[A-ZÉ]\. ?)+"
BIBLIOGRAPHY = re.compile(
    rf'"[^"]*[A-Za-z][^"]*"|(?<!\*)\*(?![\s*])[^*]+?(?<![\s*])\*(?!\*)|(?:{_NAME}, {_INITIALS}(?:, | & | and )?)+\(\d{{4}}\)|doi:\S+'
)
#: File names and extensions (``result.json``, ``.zip``) are names, whatever language they are written in.
FILE_NAME = re.compile(r"[\w.\-]*\.(?:json|jsonl|txt|zip|csv|html|svg|md)\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*")


# -- helpers --------------------------------------------------------------------------------------------------


def half_width_findings(text: str) -> list[str]:
    """Each half-width mark touching a Chinese character, with a little context."""
    prose = NOT_PROSE.sub(" ", FENCED.sub(" ", text))
    return [prose[max(0, m.start() - 8) : m.end() + 8].replace("\n", " ") for m in HALF_WIDTH.finditer(prose)]


def untranslated_words(text: str) -> list[str]:
    """Latin words of a zh message that are neither allow-listed nor single letters (symbols, initials)."""
    plain = FILE_NAME.sub(" ", BIBLIOGRAPHY.sub(" ", NOT_PROSE.sub(" ", text)))
    return [word for word in LATIN_WORD.findall(plain) if len(word) > 1 and word not in ALLOWED]


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _messages(path: pathlib.Path) -> dict[str, str]:
    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))


def _markdown_cells(path: pathlib.Path) -> list[tuple[int, str]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


# -- the linter's own behaviour -------------------------------------------------------------------------------


def test_the_rules_catch_what_they_should_and_spare_code_numbers_and_citations():
    assert half_width_findings("群满了,再扫码也进不去")
    assert half_width_findings("设为 0(不发红包)")
    assert half_width_findings('所谓"闭环"')
    assert not half_width_findings("群满了，再扫码也进不去；共 1,000 人（含群主）")
    assert not half_width_findings("运行 `lab.set(days=30)`，看曲线")  # code is not prose
    assert half_width_findings("运行 `lab.reset()`:看曲线")  # but the colon after it is
    assert untranslated_words("(custom)") == ["custom"]
    assert untranslated_words("课程假设 [assumption]") == ["assumption"]
    assert untranslated_words('Lally, P. & Wardle, J. (2010) "How are habits formed", *Eur J Soc Psychol*') == []
    assert untranslated_words("LTV/CAC 与 R 值，见 Telegram 导出的 result.json 或 .zip") == []
    assert untranslated_words("**本课程的假设（assumption）**") == ["assumption"]  # bold is not a venue


def test_allow_lists_name_real_keys():
    english = i18n.catalog("en")
    assert set(SAME_AS_ENGLISH) <= set(english)
    assert set(LATIN_ALLOWED_KEYS) <= set(english)


# -- notebooks --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ZH_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_zh_notebook_prose_uses_full_width_punctuation(path):
    findings = [f"cell {i}: …{hit}…" for i, text in _markdown_cells(path) for hit in half_width_findings(text)]
    assert not findings, f"{len(findings)} half-width marks next to Chinese, e.g.\n" + "\n".join(findings[:10])


@pytest.mark.parametrize("path", ZH_DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_zh_documents_use_full_width_punctuation(path):
    findings = half_width_findings(path.read_text(encoding="utf-8"))
    assert not findings, f"{len(findings)} half-width marks next to Chinese, e.g.\n" + "\n".join(findings[:10])


# -- catalogs ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ZH_CATALOGS, ids=lambda p: p.name)
def test_zh_catalog_uses_full_width_punctuation(path):
    findings = [f"{key}: …{hit}…" for key, text in _messages(path).items() for hit in half_width_findings(text)]
    assert not findings, f"{len(findings)} half-width marks next to Chinese, e.g.\n" + "\n".join(findings[:10])


@pytest.mark.parametrize("path", ZH_CATALOGS, ids=lambda p: p.name)
def test_zh_catalog_values_are_translated(path):
    english = _messages(CATALOGS / "en" / path.name)
    problems = []
    for key, text in _messages(path).items():
        if key not in SAME_AS_ENGLISH and text.strip() == english.get(key, "").strip():
            problems.append(f"{key}: same as English ({text[:40]!r})")
        if key not in LATIN_ALLOWED_KEYS and (words := untranslated_words(text)):
            problems.append(f"{key}: English left in {sorted(set(words))}")
    assert not problems, "\n".join(problems)
