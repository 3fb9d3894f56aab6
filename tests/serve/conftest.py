"""A course server on a copy of the course folder, with traps planted around it.

The copy holds the real landing page, lesson 01 and its exercises, plus:

* ``outside/`` next to the course folder: a notebook that writes ``RAN_OUTSIDE``
  when run, a secret text file and an image;
* inside ``notebooks/``: a folder symlink and a file symlink to those;
* hidden folders ``.git/`` and ``.venv/`` holding images.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from voila_browser import VoilaServer

REPO = Path(__file__).resolve().parents[2]

#: 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)
SECRET = "the-secret-outside-the-course"


def make_course(base: Path) -> Path:
    """A trapped copy of the course under ``base``; returns the course folder."""
    course = base / "course"
    (course / "notebooks" / "en").mkdir(parents=True)
    (course / "exercises" / "en").mkdir(parents=True)
    shutil.copy(REPO / "notebooks" / "index.ipynb", course / "notebooks")
    shutil.copy(REPO / "notebooks" / "en" / "01_value_positioning.ipynb", course / "notebooks" / "en")
    shutil.copy(REPO / "exercises" / "en" / "01_value_positioning_exercises.ipynb", course / "exercises" / "en")
    shutil.copytree(REPO / "datasets", course / "datasets")

    outside = base / "outside"
    outside.mkdir()
    marker = base / "RAN_OUTSIDE"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(f"open({str(marker)!r}, 'w').write('ran')")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, outside / "escape.ipynb")
    (outside / "secret.txt").write_text(SECRET)
    (outside / "picture.png").write_bytes(PNG)

    (course / "notebooks" / "linked").symlink_to(outside, target_is_directory=True)
    (course / "notebooks" / "escape.ipynb").symlink_to(outside / "escape.ipynb")
    (course / "notebooks" / "picture.png").symlink_to(outside / "picture.png")
    for hidden in (".git", ".venv", "notebooks/.cache"):
        (course / hidden).mkdir(parents=True)
        (course / hidden / "image.png").write_bytes(PNG)
    (course / "notebooks" / "en" / "figure.png").write_bytes(PNG)  # an image a lesson may show: served
    return course


@pytest.fixture(scope="session")
def course_secret() -> str:
    """Text of the file outside the course that no request may reveal."""
    return SECRET


@pytest.fixture(scope="session")
def trapped_course(tmp_path_factory) -> Path:
    return make_course(tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="session")
def course_server(trapped_course):
    """``communitylab present`` on the trapped course (no token, loopback)."""
    with VoilaServer(trapped_course, args=("--max-kernels", "12", "--cull-after", "5")) as server:
        yield server
