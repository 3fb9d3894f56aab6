"""The exercise notebooks: generated from the exercise data, the same code in both editions,
and executable by nbval both as committed (with blanks) and with every solution filled in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from communitylab.exercises.notebooks import EDITIONS, FILE_NAMES, build_notebook, notebook_json

from .conftest import all_exercises, available_modules

ROOT = Path(__file__).resolve().parents[2]
MODULES = available_modules()
NOTEBOOKS = [ROOT / "exercises" / edition / FILE_NAMES[m] for m in MODULES for edition in EDITIONS]
SOLUTIONS = {exercise.id: exercise.solution for _, exercise in all_exercises()}


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[f"{p.parent.name}/{p.name}" for p in NOTEBOOKS])
def test_committed_notebook_is_up_to_date_and_has_no_outputs(path):
    edition = path.parent.name
    module = next(m for m, name in FILE_NAMES.items() if name == path.name)
    assert path.read_text(encoding="utf-8") == notebook_json(build_notebook(module, edition)), (
        "regenerate with: python -m communitylab.exercises.notebooks"
    )
    for cell in _load(path)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("module", MODULES)
def test_editions_share_file_names_and_code_cells(module):
    en, zh = (_load(ROOT / "exercises" / edition / FILE_NAMES[module]) for edition in ("en", "zh"))
    code = [["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"] for nb in (en, zh)]
    assert code[0] == code[1]
    assert code[0][0] == "from communitylab.course import start\nstart()"  # language from the folder
    answers = [
        c["metadata"]["communitylab"]["exercise"]
        for c in en["cells"]
        if c["metadata"].get("communitylab", {}).get("role") == "answer"
    ]
    assert answers == sorted(answers, key=lambda i: int(i.split("q")[1])) and len(answers) >= 4


def _with_solutions(path: Path, folder: Path) -> Path:
    """A copy of the notebook with each answer cell replaced by the solution and each check asserted."""
    notebook = _load(path)
    for cell in notebook["cells"]:
        meta = cell["metadata"].get("communitylab", {})
        if meta.get("role") == "setup":  # the edition's folder chose the language
            expected = EDITIONS[path.parent.name]
            cell["source"] = (
                "".join(cell["source"])
                + f"\nfrom communitylab.i18n import get_lang\nassert get_lang() == {expected!r}, get_lang()"
            )
        elif meta.get("role") == "answer":
            cell["source"] = SOLUTIONS[meta["exercise"]]
        elif meta.get("role") == "check":
            handle = "".join(cell["source"]).split(".")[0]
            cell["source"] = "".join(cell["source"]) + f"\n{handle}.assert_check_passed()"
        elif meta.get("role") == "help":
            cell["source"] = "".join(cell["source"]).replace("# ", "")  # hints and the (earned) solution run too
    out = folder / path.parent.name / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    return out


def _nbval(paths: list[Path], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COMMUNITYLAB_PROGRESS_DIR": str(tmp_path / "progress"), "PYTHONWARNINGS": "ignore"}
    env.pop("COMMUNITYLAB_LANG", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            "--nbval-current-env",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
            *map(str, paths),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_notebooks_with_blanks_run_without_errors(tmp_path):
    result = _nbval(NOTEBOOKS, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_notebooks_with_solutions_pass_every_check(tmp_path):
    copies = [_with_solutions(path, tmp_path / "solved") for path in NOTEBOOKS]
    result = _nbval(copies, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "passed" in result.stdout
