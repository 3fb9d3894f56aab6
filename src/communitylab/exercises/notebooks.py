"""Build the exercise notebooks (``exercises/en/*.ipynb``, ``exercises/zh/*.ipynb``) from the exercise data.

The notebooks are generated, not hand-edited: their markdown comes from the
catalogs and their code cells from each exercise's ``starter``, so the English
and Chinese editions have the same file names and identical code cells. Like
every course notebook they begin with ``start()`` (hidden), which takes the
language from the folder the notebook runs in. Cells carry metadata that the
tests use to substitute solutions::

    {"communitylab": {"role": "answer", "exercise": "m01.q1"}}   # the cell with ____
    {"communitylab": {"role": "check", "exercise": "m01.q1"}}    # q1.check()

Usage: ``python -m communitylab.exercises.notebooks [--check] [ROOT]`` writes (or,
with ``--check``, compares) the notebooks under ``ROOT/exercises``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from communitylab.course import MODULES as COURSE_MODULES
from communitylab.exercises import MODULES
from communitylab.i18n import t

__all__ = ["FILE_NAMES", "EDITIONS", "build_notebook", "notebook_json", "main"]

#: Course module -> notebook file name (the same in every edition), as the course map names it.
FILE_NAMES: dict[str, str] = {module.number: module.exercises for module in COURSE_MODULES if module.number in MODULES}
#: Edition folder -> catalog language.
EDITIONS: dict[str, str] = {"en": "en", "zh": "zh_CN"}


def _cell(kind: str, source: str, cell_id: str, tags: tuple[str, ...] = (), **meta: str) -> dict:
    metadata: dict = {"communitylab": meta} if meta else {}
    if tags:
        metadata["tags"] = list(tags)
    cell = {"cell_type": kind, "id": cell_id, "metadata": metadata, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def build_notebook(module: str, edition: str) -> dict:
    """The notebook of one module's exercises in one edition, as a JSON-ready dict."""
    lang = EDITIONS[edition]
    exercises_module = importlib.import_module(MODULES[module])
    exercises = exercises_module.EXERCISES
    prefix = f"ex{module}"
    handles = ", ".join(f"q{i + 1}" for i in range(len(exercises)))
    cells = [
        _cell(
            "markdown",
            f"# {t(f'{prefix}.title', lang)}\n\n{t(f'{prefix}.intro', lang)}\n\n{t('exercises.notebook.how', lang)}",
            f"m{module}-intro",
        ),
        # the course's first cell: language from the folder (en/zh), offline charts; hidden when rendered
        _cell(
            "code",
            "from communitylab.course import start\nstart()",
            f"m{module}-start",
            tags=("hide-input",),
            role="start",
        ),
        _cell("markdown", t("exercises.notebook.setup", lang), f"m{module}-setup-note"),
        _cell(
            "code",
            "\n".join(
                [
                    "from communitylab.exercises import ____",
                    f"from communitylab.exercises.m{module} import {handles}",
                    exercises_module.SETUP,
                ]
            ),
            f"m{module}-setup",
            role="setup",
        ),
    ]
    for number, exercise in enumerate(exercises, start=1):
        q = f"q{number}"
        cells += [
            _cell(
                "markdown",
                f"## {number}. {t(exercise.title, lang)}\n\n{t(exercise.prompt, lang)}",
                f"m{module}-{q}-prompt",
            ),
            _cell("code", exercise.starter, f"m{module}-{q}-answer", role="answer", exercise=exercise.id),
            _cell("markdown", t("exercises.notebook.check", lang), f"m{module}-{q}-check-note"),
            _cell("code", f"{q}.check()", f"m{module}-{q}-check", role="check", exercise=exercise.id),
            _cell("code", f"# {q}.hint()\n# {q}.solution()", f"m{module}-{q}-help", role="help", exercise=exercise.id),
        ]
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def notebook_json(notebook: dict) -> str:
    """Serialise like Jupyter does (1-space indent, sources as line lists)."""
    copy = json.loads(json.dumps(notebook))
    for cell in copy["cells"]:
        cell["source"] = cell["source"].splitlines(keepends=True)
    return json.dumps(copy, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m communitylab.exercises.notebooks")
    parser.add_argument("root", nargs="?", type=Path, default=Path.cwd(), help="repository root (default: .)")
    parser.add_argument("--check", action="store_true", help="only report notebooks that differ")
    parser.add_argument("--module", action="append", help="only these modules (01..06)")
    args = parser.parse_args(argv)
    stale = []
    for module in args.module or list(FILE_NAMES):
        try:
            importlib.import_module(MODULES[module])
        except ModuleNotFoundError as error:
            print(f"skip module {module}: {error}", file=sys.stderr)
            continue
        for edition in EDITIONS:
            path = args.root / "exercises" / edition / FILE_NAMES[module]
            text = notebook_json(build_notebook(module, edition))
            if path.exists() and path.read_text(encoding="utf-8") == text:
                continue
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in stale:
        print(("stale: " if args.check else "wrote: ") + str(path))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    raise SystemExit(main())
