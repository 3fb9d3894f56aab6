"""Dragging a lab's slider with ``continuous_update`` on and off: messages, redraws and lag per drag.

The labs' sliders are made in ``labs/_base.py`` (``_make_control``); this section is the measurement
behind the ``continuous_update`` chosen there (``ModelLab.continuous_update``). For every lab, in Debian's Chromium driven by
Playwright, a one-cell page builds the lab with its sliders switched on or off, and the first
slider of the open group is dragged the way a person drags it: ``STEPS`` mouse moves of a few
pixels, ``STEP_MS`` apart, then released. Per drag:

* ``messages_sent``: comm messages from the page to the kernel (one per value the kernel computes);
* ``messages_received``: comm messages back (chart records, monitors, status);
* ``redraws``: chart redraws (the ``communitylab:drawn`` marks of ``labs/charts.js``);
* ``first_redraw_ms``: from the first move until the chart first changes (feedback while dragging);
* ``settle_ms``: from release until the chart shows the released value (no redraw for ``QUIET_MS``);
* ``values_sent_untouched``: slider values the page sent to the kernel before anyone touched a slider.

Run with ``python benchmarks/run.py drag`` (or ``ONLY=drag make bench``).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from voila_browser import CHART_READY, CHROMIUM, QUIET_CHROMIUM, VoilaServer, new_page, write_code_notebook  # noqa: E402

#: The labs with sliders: module, class.
LABS = {
    "01": ("attention", "AttentionLab"),
    "02": ("service_loop", "ServiceLoopLab"),
    "03": ("participation", "ParticipationLab"),
    "04": ("monetization", "MonetizationLab"),
    "05": ("brand", "BrandLab"),
    "06": ("migration", "MigrationLab"),
}
STEPS = int(os.environ.get("BENCH_DRAG_STEPS", 20))
STEP_MS = float(os.environ.get("BENCH_DRAG_STEP_MS", 40))
STEP_PX = 4
QUIET_MS = 1000
DRAGS = int(os.environ.get("BENCH_DRAG_DRAGS", 2))
PAGES = ROOT / "test-artifacts" / "drag"
FIRST_SLIDER = ".cl-sidebar .jupyter-widget-Collapse-open .widget-slider .noUi-handle"

_COUNTERS = """() => ({drawn: performance.getEntriesByName('communitylab:drawn').map(m => m.startTime),
                      now: performance.now()})"""


def _page(number: str, continuous: bool) -> str:
    module, name = LABS[number]
    source = (
        "from communitylab.course import start\n"
        "start()\n"
        f"from communitylab.labs.{module} import {name}\n"
        f"lab = {name}()\n"
        "for control in lab._controls.values():\n"
        "    if hasattr(control, 'continuous_update'):\n"
        f"        control.continuous_update = {continuous}\n"
        "lab"
    )
    return write_code_notebook(PAGES / f"lab{number}_{'on' if continuous else 'off'}.ipynb", [source])


def _record_frames(websocket, sent: list, received: list) -> None:
    websocket.on("framesent", partial(list.append, sent))
    websocket.on("framereceived", partial(list.append, received))


def _is_value_update(frame) -> bool:
    data = frame if isinstance(frame, bytes) else frame.encode()
    return b'"method": "update"' in data.replace(b'":"', b'": "') and b'"value"' in data


def _count_comm(frames: list) -> int:
    return sum(1 for frame in frames if (b"comm_msg" if isinstance(frame, bytes) else "comm_msg") in frame)


def _drag(page, selector: str, direction: int, sent: list, received: list) -> dict:
    box = page.locator(selector).first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    before = page.evaluate(_COUNTERS)
    sent.clear()
    received.clear()
    page.mouse.down()
    started = page.evaluate("() => performance.now()")
    for step in range(1, STEPS + 1):
        page.mouse.move(x + direction * STEP_PX * step, y)
        page.wait_for_timeout(STEP_MS)
    page.mouse.up()
    released = page.evaluate("() => performance.now()")
    # settled: no redraw for QUIET_MS
    while True:
        page.wait_for_timeout(250)
        now = page.evaluate(_COUNTERS)
        last = max(now["drawn"], default=0)
        if now["now"] - max(last, released) > QUIET_MS:
            break
    drawn = [t for t in now["drawn"] if t > before["now"]]
    return {
        "messages_sent": _count_comm(sent),
        "messages_received": _count_comm(received),
        "redraws": len(drawn),
        "first_redraw_ms": round(min(drawn) - started, 1) if drawn else None,
        "settle_ms": round(max(0.0, max(drawn) - released), 1) if drawn else None,
    }


def _median(drags: list[dict]) -> dict:
    keys = drags[0].keys()
    return {k: statistics.median(d[k] for d in drags if d[k] is not None) for k in keys}


def bench_lab(browser, server: VoilaServer, number: str) -> dict:
    figures = {}
    for continuous in (False, True):
        page = new_page(browser)
        sent, received = [], []
        # partial, not the bound list.append: Playwright sets an attribute on each handler
        page.on("websocket", partial(_record_frames, sent=sent, received=received))
        page.goto(f"{server.url}/voila/render/{_page(number, continuous)}", timeout=180_000)
        page.wait_for_selector(CHART_READY, state="attached", timeout=180_000)
        page.wait_for_timeout(2000)
        # values the sliders sent before anyone touched them: with continuous_update on, ipywidgets' sliders
        # send their value snapped to the slider's grid as soon as they render (or the kernel sets them)
        untouched = sum(1 for frame in sent if _is_value_update(frame))
        drags = [_drag(page, FIRST_SLIDER, 1 if i % 2 == 0 else -1, sent, received) for i in range(DRAGS)]
        figures["on" if continuous else "off"] = {**_median(drags), "values_sent_untouched": untouched}
        page.context.close()
    return figures


def run() -> dict:
    from playwright.sync_api import sync_playwright

    only = os.environ.get("BENCH_UI_LESSONS")
    numbers = [n for n in LABS if not only or n in only.split(",")]
    results: dict[str, object] = {"steps": STEPS, "step_ms": STEP_MS, "drags_per_mode": DRAGS}
    load_start = os.getloadavg()[0]
    with (
        VoilaServer(ROOT, args=("--extra-folder", "test-artifacts")) as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET_CHROMIUM)
        for number in numbers:
            print(f"  lab {number}", flush=True)
            started = time.perf_counter()
            results[f"lab{number}"] = bench_lab(browser, server, number)
            print(f"    {json.dumps(results[f'lab{number}'])} ({time.perf_counter() - started:.0f} s)", flush=True)
        browser.close()
    results["load_average"] = {"start": round(load_start, 1), "end": round(os.getloadavg()[0], 1)}
    return results
