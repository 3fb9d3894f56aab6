"""``communitylab hub`` run for real: JupyterHub, configurable-http-proxy from npm, three learners, the culler.

One hub serves the whole module (starting it costs a few seconds). Three learners log in through the
hub's login form, get API tokens, start their JupyterLab servers and check an exercise through a
kernel; the trainer reads the room's progress; the idle culler stops the servers; the learner's work
survives a restart; stopping the command leaves no process behind. Everything is on 127.0.0.1.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from hub_client import Kernel, Learner, wait_until

from communitylab.cli.hub import ADMIN_PASSWORD_FILE, proxy_path
from communitylab.exercises import progress

pytestmark = pytest.mark.hub

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "room-pass-2024"
LEARNERS = ("ada", "bo", "chen")
# Short enough to see a cull within the test, long enough that no server is culled while the other
# learners take their turn on a busy 2-core machine: servers report activity every 60 // 3 = 20 s,
# the culler looks every 60 // 6 = 10 s.
CULL_TIMEOUT = 60
SOLUTION = "def fair_share(groups):\n    return 1 / (groups + 1)\n"
WRONG = "def fair_share(groups):\n    return 1 / groups\n"
CHECK = "from communitylab.exercises.m01 import q2\nq2.check()"


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _answers(url: str) -> bool:
    try:
        import requests

        return requests.get(url, timeout=2).status_code == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """``communitylab hub`` on free loopback ports with its state in a temporary folder."""
    if not any((proxy_path(ROOT).exists(), shutil.which("configurable-http-proxy"), shutil.which("npm"))):
        pytest.skip("npm is not installed, so configurable-http-proxy cannot be installed (apt-get install npm)")
    state = tmp_path_factory.mktemp("hub")
    port, hub_port, api_port = _free_ports(3)
    log = open(state / "hub.log", "w")  # noqa: SIM115 - closed at teardown, after the process
    command = [sys.executable, "-m", "communitylab.cli", "hub", "--root", str(ROOT), "--state", str(state)]
    command += ["--port", str(port), "--hub-port", str(hub_port), "--proxy-api-port", str(api_port)]
    command += ["--password", PASSWORD, "--cull-timeout", str(CULL_TIMEOUT)]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        wait_until(lambda: _answers(f"{base}/hub/login") or process.poll() is not None, 180, "the hub to answer")
        assert process.poll() is None, (state / "hub.log").read_text()
        print(f"hub answered after {time.monotonic() - started:.1f} s")
        yield {"base": base, "state": state, "process": process}
    finally:
        family = []
        if process.poll() is None:
            command_process = psutil.Process(process.pid)
            family = [command_process, *command_process.children(recursive=True)]
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=90)
        finally:
            _, alive = psutil.wait_procs([p for p in family if p.is_running()], timeout=10)
            for leftover in alive:  # the test fails below, but leaves nothing running
                leftover.kill()
            log.close()
        assert not alive, f"still running after the hub stopped: {[p.pid for p in alive]}"
        assert process.returncode == 0, (state / "hub.log").read_text()[-3000:]


@pytest.fixture(scope="module")
def room(hub):
    """Three learners logged in, each with a running server and one exercise checked."""
    learners = [Learner(hub["base"], name) for name in LEARNERS]
    for learner in learners:
        reply = learner.log_in(PASSWORD)
        assert reply.status_code == 302, f"{learner.name}: login answered {reply.status_code}"
        learner.request_token()
    for learner in learners:  # spawns run side by side, as in a room
        learner.start_server()
    outputs = {}
    for number, learner in enumerate(learners):
        assert learner.wait_ready() == f"/user/{learner.name}/"
        kernel = Kernel(learner)
        try:
            if number == 0:  # the first learner forgets their own group once, as many do
                outputs[f"{learner.name} (wrong)"] = kernel.run(WRONG + CHECK)
            outputs[learner.name] = kernel.run(SOLUTION + CHECK)
            outputs[f"{learner.name} env"] = kernel.run(
                "import os; print(os.environ['COMMUNITYLAB_LEARNER'], os.environ['COMMUNITYLAB_PROGRESS_DIR'])"
            )
        finally:
            kernel.close()
    return {"learners": learners, "outputs": outputs, "room": hub["state"] / "room"}


def test_login_page_tells_learners_what_to_type(hub):
    page = Learner(hub["base"], "eve").browser.get(f"{hub['base']}/hub/login", timeout=30).content.decode()
    assert "Password: the room password" in page and "房间密码" in page


def test_wrong_password_is_refused(hub):
    reply = Learner(hub["base"], "eve").log_in("not-the-password")
    assert reply.status_code == 403
    assert "jupyterhub-session-id" not in reply.cookies or "jupyterhub-hub-login" not in reply.cookies


def test_each_learner_gets_the_course_in_their_home(hub, room):
    for learner in room["learners"]:
        news = hub["state"] / "homes" / learner.name / ".jupyter/lab/user-settings/@jupyterlab"
        assert '"fetchNews": "false"' in (news / "apputils-extension/notification.jupyterlab-settings").read_text()
        listing = learner.jupyter("GET", "/contents/exercises/en").json()
        names = {item["name"] for item in listing["content"]}
        assert {path.name for path in (ROOT / "exercises" / "en").glob("*.ipynb")} <= names
        lesson = learner.jupyter("GET", "/contents/notebooks/en/00_welcome.ipynb?content=0")
        assert lesson.status_code == 200, learner.name


def test_exercise_checks_run_in_each_learners_kernel(room):
    outputs = room["outputs"]
    print(json.dumps(outputs, ensure_ascii=False, indent=1))
    assert "Not yet" in outputs["ada (wrong)"] and "own group" in outputs["ada (wrong)"]
    for name in LEARNERS:
        assert "Correct" in outputs[name], outputs[name]
        assert outputs[f"{name} env"].split() == [name, str(room["room"])]


def test_trainer_reads_the_room_summary(room):
    files = sorted(path.name for path in room["room"].glob("*.jsonl"))
    assert files == [f"progress-{name}.jsonl" for name in LEARNERS]
    records, skipped = progress.read_records(room["room"])
    assert not skipped
    (row,) = progress.room_summary(records)
    assert row["exercise"] == "m01.q2"
    assert (row["attempted"], row["solved"], row["median_checks_to_solve"]) == (3, 3, 1)
    assert (row["common_wrong"], row["common_wrong_count"]) == ("forgot_own_group", 1)
    report = subprocess.run(
        [sys.executable, "-m", "communitylab.cli", "progress", "--room", str(room["room"]), "--lang", "en"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    print(report)
    assert "3 learner(s)" in report
    line = next(line for line in report.splitlines() if line.startswith("m01.q2"))
    assert "forgot_own_group (×1)" in line


def test_trainer_logs_in_as_admin_and_sees_the_learners(hub, room):
    trainer = Learner(hub["base"], "trainer")
    assert trainer.log_in(PASSWORD).status_code == 403  # the room password is not the trainer's
    admin_password = (hub["state"] / ADMIN_PASSWORD_FILE).read_text().strip()
    assert len(admin_password) >= 32
    assert trainer.log_in(admin_password).status_code == 302
    trainer.request_token()
    users = {user["name"]: user for user in trainer.hub("GET", "/users").json()}
    assert set(LEARNERS) <= set(users)
    assert users["trainer"]["admin"] is True


def test_idle_servers_are_culled_and_work_survives_a_restart(hub, room):
    ada = room["learners"][0]
    note = {"type": "file", "format": "text", "content": "my plan"}
    assert ada.jupyter("PUT", "/contents/notebooks/en/my_plan.txt", json=note).status_code in (200, 201)
    edited = ada.jupyter("GET", "/contents/exercises/en/01_value_positioning_exercises.ipynb").json()["content"]
    edited["cells"][0]["source"] = "# my own title"
    saved = {"type": "notebook", "content": edited}
    assert ada.jupyter("PUT", "/contents/exercises/en/01_value_positioning_exercises.ipynb", json=saved).ok

    started = time.monotonic()
    for learner in room["learners"]:
        wait_until(lambda learner=learner: learner.server() is None, CULL_TIMEOUT * 3, f"{learner.name}'s cull")
    print(f"all servers culled {time.monotonic() - started:.0f} s after the last request")
    assert "Culling server" in (hub["state"] / "hub.log").read_text()

    ada.start_server()  # a learner coming back after lunch
    ada.wait_ready()
    notebook = ada.jupyter("GET", "/contents/exercises/en/01_value_positioning_exercises.ipynb").json()
    assert notebook["content"]["cells"][0]["source"] == "# my own title"  # not overwritten by the course copy
    assert ada.jupyter("GET", "/contents/notebooks/en/my_plan.txt").json()["content"] == "my plan"
    assert ada.hub("DELETE", f"/users/{ada.name}/server").status_code in (202, 204)
