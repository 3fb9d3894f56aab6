"""The bundled datasets: importable, small, CC0, and reproducible from their data cards."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from communitylab.data.importers import read_chat
from communitylab.data.summary import import_summary

ROOT = Path(__file__).resolve().parents[2] / "datasets"


def _build_module():
    spec = importlib.util.spec_from_file_location("datasets_build", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


BUILD = _build_module()
FILES = [(recipe, name) for recipe in BUILD.RECIPES for name in recipe.files]


def test_every_source_format_is_bundled():
    from communitylab.data.writers import EXPORT_FORMATS

    bundled = {fmt for recipe in BUILD.RECIPES for fmt in recipe.files.values()}
    assert {EXPORT_FORMATS[fmt][0] for fmt in bundled} == {"wechat", "telegram", "discord", "whatsapp", "slack"}
    assert {"wechat-wechatmsg", "wechat-pywxdump", "discord-csv", "discord-json"} <= bundled
    total = sum(path.stat().st_size for path in ROOT.rglob("*") if path.is_file())
    assert total < 6 * 2**20  # a few MB at most


@pytest.mark.parametrize(("recipe", "name"), FILES, ids=[f"{r.name}/{n}" for r, n in FILES])
def test_bundled_file_imports_cleanly_and_matches_its_card(recipe, name):
    path = ROOT / recipe.name / name
    from communitylab.data.writers import EXPORT_FORMATS

    table, report = read_chat(path, EXPORT_FORMATS[recipe.files[name]][0], tz=recipe.options["tz"])
    assert report.dropped == 0 and report.read == report.kept == len(table)
    summary = import_summary(table, report)
    assert 1000 <= summary["messages"] <= 6000  # "a few thousand messages"
    card = (ROOT / recipe.name / "DATACARD.md").read_text(encoding="utf-8")
    assert "CC0" in card
    assert f"seed={recipe.options['seed']}" in card
    row = next(line for line in card.splitlines() if line.startswith(f"| `{name}` |"))
    counts = (
        f"| {summary['messages']:,} | {summary['system_events']:,} | {summary['authors']:,} | {summary['replies']:,} |"
    )
    assert f"{counts} {summary['first']} | {summary['last']} |" in row


def test_rebuilding_gives_the_same_files(tmp_path):
    recipe = next(r for r in BUILD.RECIPES if r.name == "telegram-launch")
    BUILD.build(recipe, root=tmp_path)
    for name in recipe.files:
        fresh = json.loads((tmp_path / recipe.name / name).read_text(encoding="utf-8"))
        bundled = json.loads((ROOT / recipe.name / name).read_text(encoding="utf-8"))
        assert fresh == bundled
    card = (tmp_path / recipe.name / "DATACARD.md").read_text(encoding="utf-8")
    assert re.search(r"generate_community\(\n    participation\.Params\(members=500, days=120\),\n    seed=202,", card)
    assert card == (ROOT / recipe.name / "DATACARD.md").read_text(encoding="utf-8")
