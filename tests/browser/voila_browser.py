"""Driving the course in Voila with Debian's Chromium: shared by the browser tests and the UI benchmarks.

* :class:`VoilaServer` runs ``communitylab present`` on 127.0.0.1 (our Voila with its offline template).
* :func:`open_lab`, :func:`press_and_time`, :func:`chart_signature`, :func:`monitor_text`
  drive and read a lab; :func:`offsite_requests` and :func:`console_errors` read what
  :func:`new_page` recorded.

Screenshots go to ``test-artifacts/screenshots/`` (kept out of git).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Chart drawn = the SVG of the first lab chart has its marks.
CHART_READY = ".cl-chart svg.marks"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
#: Chromium flags that stop it calling Google's services on start-up (they would count as off-site requests).
QUIET_CHROMIUM = [
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"voila exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"voila did not answer {url} within {timeout} s")


class VoilaServer:
    """``communitylab present`` serving a course folder for the duration of a ``with`` block.

    Parameters
    ----------
    root : Path
        The course folder (default: this repository).
    lang : str
        ``--lang`` of ``present``: which lessons get preheated kernels (default none).
    args : sequence of str
        More ``present`` options (``--room``, ``--cell-timeout``...).
    """

    def __init__(
        self,
        root: Path = ROOT,
        lang: str = "none",
        args: tuple[str, ...] = (),
        log: Path | None = None,
        port: int | None = None,
    ):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.root, self.lang, self.args = root, lang, tuple(args)
        self.log_path = log or ROOT / "test-artifacts" / f"voila-{self.port}.log"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "communitylab.cli",
            "present",
            "--root",
            str(self.root),
            "--port",
            str(self.port),
            "--lang",
            self.lang,
            *self.args,
        ]

    def __enter__(self) -> VoilaServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "a")
        env = dict(os.environ)
        env.setdefault("COMMUNITYLAB_CACHE_DIR", str(ROOT / "test-artifacts" / "cache"))
        env.setdefault("COMMUNITYLAB_PROGRESS", "off")
        self.process = subprocess.Popen(
            self.command(), cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        wait_for_http(self.url + "/voila/static/voila.js", self.process)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kernel_processes(self) -> list:
        """The kernel processes this server started (psutil processes)."""
        import psutil

        return [child for child in psutil.Process(self.process.pid).children(recursive=True) if is_kernel(child)]

    def wait_for_pools(self, count: int = 1, timeout: float = 180) -> None:
        """Wait until Voila has reported ``count`` filled kernel pools."""
        deadline = time.monotonic() + timeout
        while self.log().count("is filled with") < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"fewer than {count} kernel pools filled within {timeout} s")
            time.sleep(0.25)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Send ``sig`` and wait for the server to exit; returns its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __exit__(self, *exc) -> None:
        self.stop()
        self._log.close()


def is_kernel(process) -> bool:
    """Whether a psutil process is an IPython kernel."""
    try:
        return "ipykernel_launcher" in " ".join(process.cmdline())
    except Exception:  # it just exited
        return False


def page_kernel_id(page) -> str:
    """The id of the kernel behind a Voila page."""
    return page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def offsite_requests(page) -> list[str]:
    """Requests to any host other than this machine (data:/blob: URLs never leave it)."""
    offsite = []
    for url in page._cl_requests:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about", "chrome-extension"):
            continue
        if parsed.hostname not in LOCAL_HOSTS:
            offsite.append(url)
    return offsite


def console_errors(page) -> list[str]:
    return list(page._cl_errors)


def open_lab(page, voila_url: str, path: str, query: str = "", timeout_ms: int = 90_000):
    """Open ``path`` (relative to the repository) in Voila and wait until its first chart is drawn."""
    page.goto(f"{voila_url}/voila/render/{path}{'?' + query if query else ''}", timeout=timeout_ms)
    page.wait_for_selector(CHART_READY, state="attached", timeout=timeout_ms)
    page.wait_for_selector(".cl-monitors .cl-monitor-value", timeout=timeout_ms)


def chart_signature(page, index: int = 0) -> str:
    """The path data of every line in the ``index``-th lab chart: changes whenever the chart is redrawn with new data."""
    return page.evaluate(
        """(index) => {
            const chart = document.querySelectorAll('.cl-chart')[index];
            return Array.from(chart.querySelectorAll('path')).map(p => p.getAttribute('d') || '').join('|');
        }""",
        index,
    )


def write_code_notebook(path: Path, cells: list[str]) -> str:
    """Write a throwaway notebook of code cells (a test's or benchmark's own Voila page); returns it relative to ROOT.

    Write it under test-artifacts/, which git ignores and the course server serves as an extra folder.
    """
    notebook = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [], "source": s}
            for i, s in enumerate(cells)
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path.relative_to(ROOT).as_posix()


@functools.cache
def lesson07_message_count() -> str:
    """Member messages of the dataset lesson 07 leaves on screen (the Telegram launch group), as its monitor writes them.

    Counted from the bundled export, so a rebuilt dataset does not break the browser tests that wait for it; once
    per session, and only when a browser test asks (not when the suite collects the browser test modules).
    """
    from communitylab.data.bundled import bundled_files
    from communitylab.data.importers import read_chat
    from communitylab.data.metrics import compute_all

    messages = compute_all(read_chat(bundled_files()["telegram-launch/result.json"])[0]).summary()["messages"]
    return f"{messages:,.0f}"


def monitor_text(page) -> str:
    return page.inner_text(".cl-monitors")


def wait_for_monitors_change(page, before: str, timeout_ms: int = 30_000) -> None:
    """Wait until the monitors show something other than ``before``."""
    page.wait_for_function(
        "(before) => document.querySelector('.cl-monitors').innerText !== before", arg=before, timeout=timeout_ms
    )


def wait_for_chart_change(page, before: str, index: int = 0, timeout_ms: int = 30_000) -> None:
    """Wait until the ``index``-th lab chart's lines differ from ``before`` (a :func:`chart_signature`)."""
    page.wait_for_function(
        """([index, before]) => Array.from(document.querySelectorAll('.cl-chart')[index].querySelectorAll('path'))
                                  .map(p => p.getAttribute('d') || '').join('|') !== before""",
        arg=[index, before],
        timeout=timeout_ms,
    )


def choose_preset(page, label: str) -> None:
    """Pick a preset by its label in the lab's menu and wait until both chart and monitors have changed."""
    chart_before, monitors_before = chart_signature(page), monitor_text(page)
    page.locator(".cl-lab .widget-dropdown select").first.select_option(label=label)
    wait_for_monitors_change(page, monitors_before)
    wait_for_chart_change(page, chart_before)


def press_and_time(page, selector: str, key: str = "ArrowRight", index: int = 0, timeout_ms: int = 10_000) -> float:
    """Press ``key`` on a slider handle and return the milliseconds until the chart's lines change."""
    before = chart_signature(page, index)
    handle = page.locator(selector).first
    handle.focus()
    page.evaluate("() => { window.__clT0 = performance.now(); }")
    handle.press(key)
    page.wait_for_function(
        """([index, before]) => {
            const chart = document.querySelectorAll('.cl-chart')[index];
            const now = Array.from(chart.querySelectorAll('path')).map(p => p.getAttribute('d') || '').join('|');
            if (now !== before && now.length > 0) { window.__clT1 = performance.now(); return true; }
            return false;
        }""",
        arg=[index, before],
        polling="raf",
        timeout=timeout_ms,
    )
    return page.evaluate("() => window.__clT1 - window.__clT0")


def screenshot(page, name: str, selector: str | None = ".cl-lab") -> Path:
    """Save what a person sees: ``<name>-1280x800.png``, the viewport scrolled to the first
    ``selector`` element, and ``<name>.png``, that whole element however tall it is."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    element = page.locator(selector).first if selector and page.locator(selector).count() else None
    if element is None:
        page.screenshot(path=str(path))
        return path
    element.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-1280x800.png"))
    # Voila scrolls inside its own container, so grow the window to paint the whole element at once.
    viewport = page.viewport_size
    height = int(element.evaluate("e => e.getBoundingClientRect().height"))
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], height + 120)})
    element.screenshot(path=str(path))
    page.set_viewport_size(viewport)
    return path


def new_page(browser):
    """A 1280x800 page that records every request URL and every console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    page._cl_requests, page._cl_errors = [], []
    page.on("request", lambda request: page._cl_requests.append(request.url))
    page.on("console", lambda message: page._cl_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page._cl_errors.append(str(error)))
    return page
