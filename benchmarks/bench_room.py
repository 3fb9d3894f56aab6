"""A workshop room on one machine: N learners open the lesson of the hour and move a slider for a minute.

For each room size N (``BENCH_ROOM_SIZES``, default 5, 10, 20, 40) this starts
``communitylab present --room N --lessons <lesson>`` on 127.0.0.1, waits until its
pools are filled and the machine is quiet (a trainer starts the server before the
room arrives), then runs N learners that each

1. arrive within ``BENCH_ROOM_ARRIVAL_S`` (10 s) of each other and open the lesson:
   the page, the scripts and styles it links, the widget extensions it loads, the
   kernel websocket, and the widgets' state (``request_states`` on the
   ``jupyter.widget.control`` comm) — everything a browser asks of the server
   before it can draw; *first render* is the time from the page request until the
   widgets' state has arrived (a browser then spends about half a second drawing);
2. move the first parameter slider one step back or forth every
   ``BENCH_ROOM_MOVE_S`` (1 s, jittered) for ``BENCH_ROOM_SECONDS`` (60 s), sending
   the ``update`` a browser sends; *slider to chart* is the time until the chart's
   new records arrive (the browser's drawing, ~20-50 ms, is not included);
3. close the page: three learners in four as a browser does (the shutdown beacon
   with the ``_xsrf`` cookie), one in four by dropping the connection (a closed lid).

Clients cost the server what browsers would (same requests, same websocket
protocol) and run in a separate process with one asyncio loop, so their own CPU
is small (``client_cpu_s`` is recorded). With 4 or more cores the client process
is pinned to the last core and the server to the others (``os.sched_setaffinity``
and ``taskset``); on 2 cores nothing is pinned, since a real room's browsers do
not use the server's cores either and the client process stays light.

Recorded per N: ``errors`` (failed page loads, refused pages, lost sockets, slider
moves with no chart within 10 s), ``render_p50_s``/``render_p95_s``,
``slider_p50_ms``/``slider_p95_ms``, ``server_rss_mb`` (peak RSS of the server and
all its kernels together, sampled every 0.5 s), and ``kernels_alive_after_close``
(the learners' kernels still alive ``BENCH_ROOM_AFTER_S`` = 120 s after the last
page closed). Loopback only; each size takes about 2 + 1 + 2 minutes at the defaults.

Run with ``python benchmarks/run.py room``; a short check:
``BENCH_ROOM_SIZES=5 BENCH_ROOM_SECONDS=10 BENCH_ROOM_AFTER_S=20 BENCH_ROOM_CULL_S=5 python benchmarks/run.py room``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from voila_browser import VoilaServer  # noqa: E402
from voila_client import http_get, kernel_message  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_ROOM_SIZES", "5,10,20,40").split(",")]
SECONDS = float(os.environ.get("BENCH_ROOM_SECONDS", 60))
MOVE_S = float(os.environ.get("BENCH_ROOM_MOVE_S", 1.0))
ARRIVAL_S = float(os.environ.get("BENCH_ROOM_ARRIVAL_S", 10))
AFTER_S = float(os.environ.get("BENCH_ROOM_AFTER_S", 120))
CULL_S = float(os.environ.get("BENCH_ROOM_CULL_S", 60))
LESSON = os.environ.get("BENCH_ROOM_LESSON", "01")
DROP_SHARE = 0.25
SLIDER_TIMEOUT_S = 10.0


def _lesson_path() -> str:
    (notebook,) = (ROOT / "notebooks" / "en").glob(f"{LESSON}_*.ipynb")
    return f"/voila/render/notebooks/en/{notebook.name}"


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- one learner (runs in the client process) -------------------------------------------
def _decode(raw: str | bytes) -> dict:
    """A kernel message as the page gets it: JSON text, or binary framing when it carries buffers."""
    if isinstance(raw, str):
        return json.loads(raw)
    from jupyter_server.services.kernels.connection.base import deserialize_binary_message

    return deserialize_binary_message(raw)


def _sends_records(data: dict) -> bool:
    """Whether a widget update carries a chart's new records (a binary buffer, or inline JSON)."""
    return "records" in (data.get("state") or {}) or ["records"] in (data.get("buffer_paths") or [])


async def _learner(index: int, base: str, path: str, seed: int) -> dict:
    import websockets
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    rng = random.Random(seed)
    record: dict = {"render_s": None, "slider_ms": [], "errors": [], "kernel_id": None}
    await asyncio.sleep(rng.uniform(0, ARRIVAL_S))
    client = AsyncHTTPClient()
    started = time.perf_counter()
    response = await client.fetch(base + path, raise_error=False, request_timeout=300)
    if response.code != 200:
        record["errors"].append(f"page {response.code}")
        return record
    html = response.body.decode()
    cookies = "; ".join(c.split(";")[0] for c in response.headers.get_list("Set-Cookie"))
    config = json.loads(
        re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    record["kernel_id"] = kernel_id = config["kernelId"]
    assets = re.findall(r'<(?:script[^>]+src|link[^>]+href)="(/[^"]+)"', html)
    assets += [f"/voila/labextensions/{ext['name']}/{ext['load']}" for ext in config.get("federated_extensions", [])]
    fetched = await asyncio.gather(*(client.fetch(base + a, raise_error=False, request_timeout=300) for a in assets))
    record["errors"] += [f"asset {r.code}" for r in fetched if r.code != 200]

    url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels?session_id={index}-{seed}"
    socket = await websockets.connect(url, additional_headers={"Cookie": cookies}, max_size=None)
    try:
        control = f"control-{index}"
        await socket.send(
            kernel_message(
                "comm_open",
                {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                metadata={"version": "1.0.0"},
            )
        )
        await socket.send(kernel_message("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}))
        states = None
        while states is None:
            message = _decode(await asyncio.wait_for(socket.recv(), 120))
            data = message.get("content", {}).get("data") or {}
            if message["msg_type"] == "comm_msg" and data.get("method") == "update_states":
                states = data["states"]
        record["render_s"] = time.perf_counter() - started

        charts = {cid for cid, s in states.items() if s["model_name"] == "AnyModel" and "template" in s["state"]}
        slider_id, slider = next(
            (cid, s["state"])
            for cid, s in states.items()
            if s["model_name"] in ("FloatSliderModel", "IntSliderModel")
            and any(c.startswith("cl-param-") for c in s["state"].get("_dom_classes", []))
        )
        values = [slider["value"], min(slider["max"], slider["value"] + slider["step"])]
        deadline = time.perf_counter() + SECONDS
        move = 0
        while time.perf_counter() < deadline:
            await asyncio.sleep(MOVE_S * rng.uniform(0.5, 1.5))
            move += 1
            sent = time.perf_counter()
            update = {"method": "update", "state": {"value": values[move % 2]}, "buffer_paths": []}
            await socket.send(kernel_message("comm_msg", {"comm_id": slider_id, "data": update}))
            try:
                while True:
                    message = _decode(await asyncio.wait_for(socket.recv(), SLIDER_TIMEOUT_S))
                    content = message.get("content", {})
                    data = content.get("data") or {}
                    if content.get("comm_id") in charts and _sends_records(data):
                        record["slider_ms"].append(1000 * (time.perf_counter() - sent))
                        break
            except TimeoutError:
                record["errors"].append("slider without chart")
    except Exception as error:  # a lost socket or a malformed reply is an error of the room, not of the bench
        record["errors"].append(f"{type(error).__name__}")
    finally:
        if rng.random() < DROP_SHARE:
            record["closed"] = "dropped"
            await socket.close()
        else:
            record["closed"] = "beacon"
            xsrf = re.search(r"_xsrf=([^;]+)", cookies)
            body = f"_xsrf={xsrf[1] if xsrf else ''}"
            request = HTTPRequest(
                base + f"/voila/api/shutdown/{kernel_id}",
                method="POST",
                body=body,
                headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"},
            )
            await socket.close()
            reply = await client.fetch(request, raise_error=False)
            if reply.code != 204:
                record["errors"].append(f"shutdown {reply.code}")
    return record


def _clients(base: str, path: str, learners: int, cpus: set[int] | None) -> dict:
    """The client process: every learner as a coroutine of one loop."""
    if cpus:
        os.sched_setaffinity(0, cpus)
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=4 * learners + 10)

    async def room():
        return await asyncio.gather(*(_learner(i, base, path, seed=1000 + i) for i in range(learners)))

    started = time.process_time()
    records = asyncio.run(room())
    return {"records": records, "client_cpu_s": time.process_time() - started}


# -- the server side --------------------------------------------------------------------
def _rss_mb(pid: int) -> float:
    import psutil

    try:
        process = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20
    except psutil.Error:
        return 0.0


def _wait_until_quiet(pid: int, timeout: float = 600) -> None:
    """Wait until the server and its kernels use under 10 % of one core for 3 s (the pools have run their notebooks)."""
    import psutil

    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        family = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
        before = sum(sum(p.cpu_times()[:2]) for p in family if p.is_running())
        time.sleep(1)
        after = sum(sum(p.cpu_times()[:2]) for p in family if p.is_running())
        if after - before < 0.10:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 3:
                return
        else:
            quiet_since = None


def _cpu_split() -> tuple[str | None, set[int] | None]:
    """Cores for the server (a taskset list) and for the clients, or none on a small machine."""
    count = os.cpu_count() or 1
    if count < 4:
        return None, None
    return f"0-{count - 2}", {count - 1}


def bench_room(learners: int) -> dict:
    path = _lesson_path()
    server_cpus, client_cpus = _cpu_split()
    args = ("--room", str(learners), "--lessons", LESSON, "--cull-after", str(CULL_S))
    server = VoilaServer(ROOT, lang="en", args=args)
    if server_cpus:
        command = server.command
        server.command = lambda: ["taskset", "-c", server_cpus, *command()]
    with server:
        server.wait_for_pools(2, timeout=900)
        _wait_until_quiet(server.process.pid)
        peak, sampling = [0.0], threading.Event()

        def sample() -> None:
            while not sampling.is_set():
                peak[0] = max(peak[0], _rss_mb(server.process.pid))
                time.sleep(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # the learners run in a process of their own (this file run as a script), printing their records as JSON
        cpus = ",".join(map(str, sorted(client_cpus))) if client_cpus else ""
        command = [sys.executable, __file__, server.url, path, str(learners), cpus]
        done = subprocess.run(command, capture_output=True, text=True, timeout=ARRIVAL_S + SECONDS + 900)
        if done.returncode != 0:
            raise RuntimeError(f"the learners' process failed: {done.stderr[-2000:]}")
        outcome = json.loads(done.stdout)
        sampling.set()
        sampler.join()

        records = outcome["records"]
        time.sleep(AFTER_S)
        used = [r["kernel_id"] for r in records if r["kernel_id"]]
        alive = sum(1 for kernel_id in used if http_get(f"{server.url}/api/kernels/{kernel_id}")[0] == 200)

    renders = [r["render_s"] for r in records if r["render_s"] is not None]
    moves = [ms for r in records for ms in r["slider_ms"]]
    errors = [e for r in records for e in r["errors"]]
    return {
        "learners": learners,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "render_p50_s": round(statistics.median(renders), 3) if renders else None,
        "render_p95_s": round(_percentile(renders, 0.95), 3) if renders else None,
        "slider_p50_ms": round(statistics.median(moves), 1) if moves else None,
        "slider_p95_ms": round(_percentile(moves, 0.95), 1) if moves else None,
        "slider_moves": len(moves),
        "server_rss_mb": round(peak[0]),
        "kernels_alive_after_close": alive,
        "closed_by_dropping": sum(1 for r in records if r.get("closed") == "dropped"),
        "client_cpu_s": round(outcome["client_cpu_s"], 2),
        "pinned": {"server": server_cpus, "clients": sorted(client_cpus) if client_cpus else None},
    }


def run() -> dict:
    results: dict[str, object] = {
        "lesson": LESSON,
        "seconds_moving": SECONDS,
        "move_every_s": MOVE_S,
        "arrival_spread_s": ARRIVAL_S,
        "counted_after_close_s": AFTER_S,
        "cull_after_s": CULL_S,
    }
    for learners in SIZES:
        print(f"  room of {learners}", flush=True)
        results[str(learners)] = bench_room(learners)
    return results


if __name__ == "__main__":
    base_url, lesson_path, count, cpu_list = sys.argv[1:5]
    chosen = {int(cpu) for cpu in cpu_list.split(",") if cpu} or None
    print(json.dumps(_clients(base_url, lesson_path, int(count), chosen)))
