"""docs/models.md agrees with the code, and the documents' links lead somewhere.

The parameter tables of the specification are written by hand for readers; these tests hold them to the
models' own ``Params`` specs (names in order, units, defaults, ranges), so a change in a model that is not
carried into the document fails here instead of misleading a trainer.
"""

from __future__ import annotations

import importlib
import math
import pathlib
import re

import pytest

from communitylab.models import MODELS

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SPEC = DOCS / "models.md"

#: A table row of a parameter: | `name` | symbol | unit | default | range | meaning |
ROW = re.compile(
    r"^\|\s*`(?P<name>[a-z_0-9]+)`\s*\|[^|]*\|\s*(?P<unit>[^|]*?)\s*\|\s*(?P<default>[^|]*?)\s*\|\s*(?P<range>[^|]*?)\s*\|"
)
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')


def _sections() -> dict[str, str]:
    """The text of each model's section, keyed by its anchor (the registry name)."""
    text = SPEC.read_text(encoding="utf-8")
    marks = [(m.start(), m.group(1)) for m in ANCHOR.finditer(text) if m.group(1) in MODELS]
    ends = [start for start, _ in marks[1:]] + [len(text)]
    return {name: text[start:end] for (start, name), end in zip(marks, ends)}


def _parameter_rows(section: str) -> list[dict[str, str]]:
    """Rows of the section's "### Parameters" table, in order."""
    table = section.split("### Parameters", 1)[1].split("\n\n", 2)[1]
    return [m.groupdict() for line in table.splitlines() if (m := ROW.match(line))]


def _number(text: str) -> float:
    """A number as the document writes it: ``10,000``, ``-2.5``, ``1e-5``, ``ln 20 / 66 ≈ 0.0454``."""
    if "≈" in text:
        text = text.split("≈")[1]
    return float(text.replace(",", "").replace("−", "-").strip())


def _params(name: str):
    return importlib.import_module(MODELS[name]).Params


def test_every_model_has_a_section_with_a_stable_anchor():
    assert sorted(_sections()) == sorted(MODELS)


@pytest.mark.parametrize("name", list(MODELS))
def test_parameter_table_lists_the_code_parameters_in_order(name):
    documented = [row["name"] for row in _parameter_rows(_sections()[name])]
    assert documented == list(_params(name).specs())


@pytest.mark.parametrize("name", list(MODELS))
def test_parameter_units_defaults_and_ranges_match_the_code(name):
    params = _params(name)
    specs, defaults = params.specs(), params.defaults()
    for row in _parameter_rows(_sections()[name]):
        field, spec, default = row["name"], specs[row["name"]], defaults[row["name"]]
        where = f"{name}.{field}"
        assert row["unit"] == (spec.unit or "–"), where
        if spec.boolean:
            assert row["range"] == "on / off", where
            assert row["default"] == ("on" if default else "off"), where
            continue
        low, high = (_number(part) for part in row["range"].split(" – "))
        assert (low, high) == (spec.lo, spec.hi), where
        tolerance = 1e-3 if "≈" in row["default"] else 1e-12
        assert math.isclose(_number(row["default"]), default, rel_tol=tolerance, abs_tol=1e-12), where


@pytest.mark.parametrize("name", list(MODELS))
def test_every_test_the_specification_names_exists(name):
    """The "What the tests check" tables name real test functions of the model's test module."""
    tests = (ROOT / "tests" / "models" / f"test_{name}.py").read_text(encoding="utf-8")
    checks = _sections()[name].split("### What the tests check", 1)[1]
    named = re.findall(r"`(test_[a-z0-9_*]+)`", checks)
    assert named, f"{name}: no tests named"
    for test in named:
        pattern = re.escape(test).replace(r"\*", "[a-z0-9_]*")
        assert re.search(rf"def {pattern}\(", tests), f"{name}: {test} is not in tests/models/test_{name}.py"


@pytest.mark.parametrize("name", list(MODELS))
def test_every_source_the_code_declares_is_cited_in_its_section(name):
    """A model's ``SOURCES`` (its machine-readable references) appear in the specification: first author and year."""
    section = _sections()[name]
    for source in getattr(importlib.import_module(MODELS[name]), "SOURCES", ()):
        match = re.match(r"([^\s,(]+).*?\((\d{4})\)", source.citation)
        assert match, f"{name}: cannot read the author and year of {source.citation!r}"
        author, year = match.groups()
        assert re.search(rf"{re.escape(author)}[^\n]*{year}|{year}[^\n]*{re.escape(author)}", section), (
            f"{name}: {author} ({year}) is in SOURCES but not in docs/models.md#{name}"
        )


def _links(path: pathlib.Path) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [*sorted(DOCS.glob("*.md")), ROOT / "README.md"], ids=lambda p: p.name)
def test_relative_links_lead_to_files_and_anchors_that_exist(path):
    for link in _links(path):
        if re.match(r"[a-z]+:", link):
            continue  # http(s) and mailto are the reader's business, and the course works offline
        target, _, anchor = link.partition("#")
        file = (path.parent / target).resolve() if target else path
        assert file.exists(), f"{path.name}: {link} points to a missing file"
        if anchor and file.suffix == ".md":
            text = file.read_text(encoding="utf-8")
            headings = {_slug(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}
            assert anchor in set(ANCHOR.findall(text)) | headings, f"{path.name}: no anchor #{anchor} in {file.name}"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_readme_points_to_the_specification_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/models.md" in readme
    assert "shared/design" not in readme  # a user's clone has no shared/ folder
