"""A wheel that works (issue 14 item 1): built, installed into a fresh virtual environment, serving a copy of the course.

The wheel is built from this checkout; its dependencies are installed from a
wheelhouse kept in ``test-artifacts/wheelhouse`` (filled by ``pip download`` the
first time, reused offline after that). The fresh environment's
``communitylab present`` then serves a copy of the course folder (notebooks,
exercises, datasets; no ``src/``) and Chromium checks that the landing page and
lesson 07 (which reads a bundled dataset) render with no request leaving 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from voila_browser import (
    ROOT,
    console_errors,
    free_port,
    lesson07_message_count,
    new_page,
    offsite_requests,
    screenshot,
    wait_for_http,
)

WHEELHOUSE = ROOT / "test-artifacts" / "wheelhouse"


def _pip(python: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def build_wheel(out: Path) -> Path:
    result = _pip(Path(sys.executable), "wheel", "--no-deps", "-w", str(out), str(ROOT))
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("communitylab-*.whl")
    return wheel


def install_offline_first(python: Path, wheel: Path) -> None:
    """Install ``wheel`` and its dependencies from the wheelhouse; fill the wheelhouse once if it lacks some."""
    args = ("install", "--no-index", "--find-links", str(WHEELHOUSE), str(wheel))
    if _pip(python, *args).returncode != 0:
        WHEELHOUSE.mkdir(parents=True, exist_ok=True)
        download = _pip(python, "download", "--dest", str(WHEELHOUSE), str(wheel))
        assert download.returncode == 0, download.stdout + download.stderr
        result = _pip(python, *args)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the built wheel installed; returns its ``bin`` folder."""
    base = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(base / "dist")
    names = {
        Path(name).as_posix()
        for name in subprocess.run(
            [sys.executable, "-m", "zipfile", "-l", str(wheel)], capture_output=True, text=True, check=True
        ).stdout.split()
    }
    template = "communitylab/share/jupyter/voila/templates/communitylab"
    for needed in ("index.html.j2", "conf.json", "page.html", "static/faults.js"):
        assert f"{template}/{needed}" in names, f"the wheel lacks {needed}"
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    install_offline_first(env_dir / "bin" / "python", wheel)
    return env_dir / "bin"


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("course-copy")
    for folder in ("notebooks", "exercises", "datasets"):
        shutil.copytree(ROOT / folder, course / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return course


def test_the_installed_wheel_serves_the_landing_page_and_lesson_07_offline(installed, course_copy, chromium, tmp_path):
    python = installed / "python"
    where = subprocess.run(
        [str(python), "-c", "import communitylab; print(communitylab.__file__)"], capture_output=True, text=True
    )
    assert str(installed.parent) in where.stdout, "communitylab must come from the fresh environment"

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMMUNITYLAB_", "JUPYTER_", "VIRTUAL_ENV"))}
    env.update(COMMUNITYLAB_PROGRESS="off", PATH=f"{installed}{os.pathsep}{env.get('PATH', '')}")
    log = (tmp_path / "present.log").open("w")
    command = [
        str(installed / "communitylab"),
        "present",
        "--root",
        str(course_copy),
        "--port",
        str(port),
        "--lang",
        "none",
    ]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(url + "/voila/static/voila.js", process, timeout=120)
        page = new_page(chromium)
        page.goto(f"{url}/voila/render/notebooks/index.ipynb", timeout=120_000)
        page.wait_for_selector(".cl-card", timeout=120_000)
        assert "Value positioning" in page.inner_text(".cl-cards")

        page.goto(f"{url}/voila/render/notebooks/en/07_community_health.ipynb", timeout=180_000)
        page.wait_for_function(
            "() => (document.querySelector('.cl-dashboard .cl-monitors') || {innerText: ''})"
            f".innerText.includes('{lesson07_message_count()}')",
            timeout=180_000,
        )
        assert "unknown dataset" not in page.inner_text("body")
        screenshot(page, "wheel-lesson07", selector=".cl-dashboard")
        assert offsite_requests(page) == []
        assert console_errors(page) == []

        page.goto(f"{url}/voila/render/notebooks/en/no_such_lesson.ipynb", timeout=60_000)
        assert offsite_requests(page) == []  # Voila's own error page links no CDN either
        page.context.close()
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()
    assert "TemplateNotFound" not in (tmp_path / "present.log").read_text()
