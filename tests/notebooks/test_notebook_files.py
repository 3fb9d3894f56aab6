"""Notebooks are committed clean, and every English lesson has a Chinese twin with the same code.

"The same code" ignores comments: a comment is prose, and the Chinese edition says it in Chinese.
"""

import io
import json
import pathlib
import tokenize

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
ALL_NOTEBOOKS = sorted(
    p
    for folder in ("notebooks", "exercises")
    for p in (ROOT / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
PAIRED_FOLDERS = ("notebooks", "exercises")


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _without_comments(source: str) -> str:
    kept = [tok for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type != tokenize.COMMENT]
    # a comment leaves its indentation behind, and a comment of its own line an empty line
    lines = (line.rstrip() for line in tokenize.untokenize(kept).splitlines())
    return "\n".join(line for line in lines if line)


def _code(path):
    cells = [cell["source"] for cell in _load(path)["cells"] if cell["cell_type"] == "code"]
    return [_without_comments("".join(source)) for source in cells]


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_without_outputs(path):
    for cell in _load(path)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, "strip outputs before committing"
    assert "widgets" not in _load(path)["metadata"], "widget state must not be committed"


@pytest.mark.parametrize("folder", PAIRED_FOLDERS)
def test_every_english_notebook_has_a_chinese_edition_with_the_same_code(folder):
    english = {p.name: p for p in (ROOT / folder / "en").glob("*.ipynb")}
    chinese = {p.name: p for p in (ROOT / folder / "zh").glob("*.ipynb")}
    assert sorted(english) == sorted(chinese)
    for name, path in english.items():
        assert _code(path) == _code(chinese[name]), f"{folder}/{name}: code cells differ between en and zh"


def test_comments_do_not_count_but_code_does():
    assert _without_comments("x = 1  # one\n") == _without_comments("x = 1  # 一\n")
    assert _without_comments("x = 1\n") != _without_comments("x = 2\n")
    assert _without_comments("s = '# not a comment'\n") != _without_comments("s = '# 不是注释'\n")


def test_lessons_exist_for_the_foundation():
    for name in ("00_welcome.ipynb", "01_value_positioning.ipynb"):
        assert (ROOT / "notebooks" / "en" / name).exists() and (ROOT / "notebooks" / "zh" / name).exists()
    assert (ROOT / "notebooks" / "index.ipynb").exists()


@pytest.mark.parametrize(
    "path", [p for p in ALL_NOTEBOOKS if p.parent.name in ("en", "zh")], ids=lambda p: str(p.relative_to(ROOT))
)
def test_notebooks_start_the_course(path):
    """The first code cell chooses the language and makes charts offline; it is hidden in rendered views."""
    first = next(cell for cell in _load(path)["cells"] if cell["cell_type"] == "code")
    assert "start()" in "".join(first["source"])
    assert "hide-input" in first.get("metadata", {}).get("tags", [])
