"""What a trainer feels in the browser: Voila first render and slider-to-chart latency.

For every lesson notebook with a lab (``notebooks/en/0[1-8]_*.ipynb``), in Debian's
Chromium driven by Playwright:

* first render, cold: Voila serving the notebook with no preheated kernel; page
  navigation until the first chart's SVG is drawn (3 loads, each a new kernel);
* first render, preheated: the same with one preheated kernel that has finished running
  the notebook (3 loads, waiting for the pool to refill and settle between them);
* Voila's floor: in the same server, between the lesson's preheated loads, a bare page
  (one ipywidgets slider, preheated the same way) until its slider is drawn: what Voila's own
  page start-up costs on this machine, whatever a lesson holds. ``above_floor_s`` is the
  lesson's median minus the floor's, the part of a first render that is ours;
* slider to chart: keyboard moves of the first slider of the open control group
  (alternating right/left so values stay in range), from key press until the
  chart's lines change, over ``MOVES`` moves; split, from the page's own performance
  marks (``labs/charts.js``), into key press to the chart's records arriving (kernel
  and messages) and records to chart drawn (the redraw);
* requests: how many requests left 127.0.0.1 during all of that;
* ``stock_voila``: the bare page served by stock ``voila --preheat_kernel`` (its own lab
  template) and by ``communitylab present --preheat``, taking turns in one run: what our
  server, guards and template add to Voila's own start-up. Stock Voila's template links Font
  Awesome from a CDN; those requests are refused at once, as on a laptop with no network.

Each lab's headline figures are ``first_render_s`` (median preheated first render), ``floor_s``,
``slider_median_ms`` and ``slider_p90_ms``; ``load_average`` says how busy the machine was
(the 1-minute load average of ``os.getloadavg()`` at the start and end of the section).
Lesson 07 (the dashboard) has no slider and lesson 08's plan panel redraws its chart only when the
plan is run: only their first render is timed.

Run with ``python benchmarks/run.py ui`` (or ``ONLY=ui make bench``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import summarize_ms

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from voila_browser import (  # noqa: E402
    CHART_READY,
    CHROMIUM,
    QUIET_CHROMIUM,
    VoilaServer,
    free_port,
    new_page,
    offsite_requests,
    press_and_time,
    wait_for_http,
    write_code_notebook,
)

MOVES = int(os.environ.get("BENCH_UI_MOVES", 25))
#: Voila logs "pool filled" when the kernel has started, then runs the notebook in it; a warm
#: workshop pool has long finished that, so wait this long before timing a preheated load.
SETTLE_S = float(os.environ.get("BENCH_UI_SETTLE", 12))
LOADS = int(os.environ.get("BENCH_UI_LOADS", 3))
#: The first slider of the control group that starts open (ipywidgets 8 marks it jupyter-widget-Collapse-open).
FIRST_SLIDER = ".cl-sidebar .jupyter-widget-Collapse-open .widget-slider .noUi-handle"
#: Voila's floor: the least a page can hold, one slider, drawn once its handle is in the page.
FLOOR_CELL = "import ipywidgets\nipywidgets.IntSlider(description='x')"
FLOOR_READY = ".widget-slider .noUi-handle"


def lesson_notebooks() -> list[Path]:
    only = os.environ.get("BENCH_UI_LESSONS")  # e.g. "01,03"
    found = sorted((ROOT / "notebooks" / "en").glob("0[1-8]_*.ipynb"))
    # lesson pages with a lab or a dashboard; 08_leaderboard is the trainer's projector page, not a lesson
    found = [p for p in found if "_exercises" not in p.name and "leaderboard" not in p.name]
    if only:
        wanted = set(only.split(","))
        found = [p for p in found if p.name[:2] in wanted]
    return found


def _time_load(page, url: str, ready: str = CHART_READY) -> float:
    started = time.perf_counter()
    page.goto(url, timeout=120_000)
    page.wait_for_selector(ready, state="attached", timeout=120_000)
    return 1000 * (time.perf_counter() - started)


def _wait_for_pool(server: VoilaServer, count: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.log().count("is filled with") >= count:
            return
        time.sleep(0.25)
    raise TimeoutError("Voila never reported a filled kernel pool")


def _slider_handle(page) -> str | None:
    # the first slider inside the open group; fall back to the first slider on the page
    for selector in (FIRST_SLIDER, ".cl-sidebar .widget-slider .noUi-handle"):
        if page.locator(selector).count():
            return selector
    return None


#: The last key press (voila_browser.press_and_time), the chart's records arriving, the chart drawn.
_MOVE_MARKS = """() => {
    const last = (name) => performance.getEntriesByName(name).filter(m => m.startTime >= window.__clT0).map(m => m.startTime)[0];
    return [window.__clT0, last('communitylab:records'), last('communitylab:drawn')];
}"""


def _time_moves(page, selector: str) -> dict:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:  # lesson 08's plan panel has sliders but redraws its chart only when the plan is run
        press_and_time(page, selector, "ArrowRight")
        press_and_time(page, selector, "ArrowLeft")
    except PlaywrightTimeout:
        return {"slider_to_chart": "the chart does not follow this slider"}
    latencies, to_records, redraw = [], [], []
    for move in range(MOVES):
        key = "ArrowRight" if (move // 2) % 2 == 0 else "ArrowLeft"
        latencies.append(press_and_time(page, selector, key))
        pressed, records, drawn = page.evaluate(_MOVE_MARKS)
        if records is not None and drawn is not None:
            to_records.append(records - pressed)
            redraw.append(drawn - records)
    figures = {"slider_to_chart": summarize_ms(latencies)}
    if to_records:
        figures["key_to_records"] = summarize_ms(to_records)
        figures["records_to_drawn"] = summarize_ms(redraw)
    return figures


def bench_lesson(browser, notebook: Path) -> dict:
    url_path = f"/voila/render/{notebook.relative_to(ROOT).as_posix()}"
    figures: dict[str, object] = {"notebook": str(notebook.relative_to(ROOT))}
    offsite: list[str] = []

    with VoilaServer(ROOT) as server:
        loads = []
        for _ in range(LOADS):
            page = new_page(browser)
            loads.append(_time_load(page, server.url + url_path))
            offsite += offsite_requests(page)
            page.context.close()
        figures["first_render_cold"] = summarize_ms(loads)

    # a room of one on this lesson: one preheated kernel for it, one for Voila's floor page and one for the
    # landing page. Voila logs "filled" three times at start, then twice a round (the two pages just opened)
    floor = _floor_notebook()
    room = ("--room", "1", "--lessons", notebook.name[:2], "--extra-folder", "test-artifacts", "--preheat", floor)
    with VoilaServer(ROOT, lang="en", args=room) as server:
        loads, floor_loads = [], []
        for index in range(LOADS):
            _wait_for_pool(server, 2 * index + 3)
            time.sleep(SETTLE_S)
            # the two pages take turns at going first, so neither always meets a browser just woken up
            for which in ("floor", "lesson") if index % 2 == 0 else ("lesson", "floor"):
                page = new_page(browser)
                if which == "floor":
                    floor_loads.append(_time_load(page, f"{server.url}/voila/render/{floor}", FLOOR_READY))
                else:
                    loads.append(_time_load(page, server.url + url_path))
                offsite += offsite_requests(page)
                if which == "floor" or index < LOADS - 1:
                    page.context.close()
                else:
                    lesson_page = page  # the last lesson load stays open for the slider moves
        figures["first_render_preheated"] = summarize_ms(loads)
        figures["voila_floor_preheated"] = summarize_ms(floor_loads)

        selector = _slider_handle(lesson_page)
        if selector is not None:
            figures.update(_time_moves(lesson_page, selector))
        offsite += offsite_requests(lesson_page)
        lesson_page.context.close()

    figures["offsite_requests"] = len(offsite)
    figures["offsite_examples"] = sorted(set(offsite))[:5]
    figures["first_render_s"] = round(figures["first_render_preheated"]["median_ms"] / 1000, 2)
    figures["floor_s"] = round(figures["voila_floor_preheated"]["median_ms"] / 1000, 2)
    figures["above_floor_s"] = round(figures["first_render_s"] - figures["floor_s"], 2)
    if isinstance(figures.get("slider_to_chart"), dict):
        figures["slider_median_ms"] = figures["slider_to_chart"]["median_ms"]
        figures["slider_p90_ms"] = figures["slider_to_chart"]["p90_ms"]
    return figures


def _floor_notebook() -> str:
    return write_code_notebook(ROOT / "test-artifacts" / "bench-ui" / "voila_floor.ipynb", [FLOOR_CELL])


def _wait_for_log(path: Path, text: str, count: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.read_text(errors="replace").count(text) >= count:
            return
        time.sleep(0.25)
    raise TimeoutError(f"{path} never said {text!r} {count} times")


def bench_stock_voila(browser) -> dict:
    """The bare page from stock Voila and from ``communitylab present``, both preheated, taking turns."""
    floor = _floor_notebook()
    loads: dict[str, list[float]] = {"stock_voila": [], "communitylab": []}
    with tempfile.TemporaryDirectory() as folder:
        stock_dir = Path(folder)
        shutil.copy(ROOT / floor, stock_dir / "floor.ipynb")
        port, log = free_port(), stock_dir / "voila.log"
        command = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--preheat_kernel=True"]
        with open(log, "w") as out:
            stock = subprocess.Popen(
                [*command, "--pool_size=1", "floor.ipynb"], cwd=stock_dir, stdout=out, stderr=subprocess.STDOUT
            )
        try:
            wait_for_http(f"http://127.0.0.1:{port}/", stock)
            args = ("--extra-folder", "test-artifacts", "--preheat", floor)
            with VoilaServer(ROOT, lang="none", args=args) as ours:
                pages = {"stock_voila": f"http://127.0.0.1:{port}/", "communitylab": f"{ours.url}/voila/render/{floor}"}
                for index in range(LOADS):
                    _wait_for_pool(ours, index + 1)
                    _wait_for_log(log, "is filled with", index + 1)
                    time.sleep(SETTLE_S)
                    for name in list(pages) if index % 2 == 0 else list(pages)[::-1]:
                        page = new_page(browser)
                        page.route("**/cdn.jsdelivr.net/**", lambda route: route.abort())
                        loads[name].append(_time_load(page, pages[name], FLOOR_READY))
                        page.context.close()
        finally:
            stock.terminate()
            stock.wait(timeout=30)
    return {name: summarize_ms(values) for name, values in loads.items()}


def run() -> dict:
    from playwright.sync_api import sync_playwright

    results: dict[str, object] = {"moves_per_lab": MOVES, "loads_per_mode": LOADS, "viewport": "1280x800"}
    load_start = os.getloadavg()[0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET_CHROMIUM)
        for notebook in lesson_notebooks():
            print(f"  {notebook.name}", flush=True)
            results[notebook.stem] = bench_lesson(browser, notebook)
        print("  stock voila vs present, bare page", flush=True)
        results["stock_voila"] = bench_stock_voila(browser)
        browser.close()
    results["load_average"] = {"start": round(load_start, 1), "end": round(os.getloadavg()[0], 1)}
    return results
