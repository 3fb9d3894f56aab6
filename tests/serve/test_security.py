"""Security of the course server, each test named by what it asserts (issue 11 item 6).

A live ``communitylab present`` serves a trapped copy of the course (see
``conftest.py``): a notebook, a secret file and an image outside the course
folder reached through folder and file symlinks, and images in hidden folders.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from voila_client import http_get, kernel_message, open_page

LESSON = "notebooks/en/01_value_positioning.ipynb"
EXERCISES = "exercises/en/01_value_positioning_exercises.ipynb"


async def _converse(page, messages: list[str], quiet_s: float = 4.0) -> list[dict]:
    """Send ``messages`` on the page's kernel websocket; collect replies until ``quiet_s`` of silence."""
    import websockets

    received = []
    async with websockets.connect(
        page.channels_url, additional_headers={"Cookie": page.cookie_header}, max_size=None
    ) as socket:
        for message in messages:
            await socket.send(message)
        try:
            while True:
                raw = await asyncio.wait_for(socket.recv(), quiet_s)
                if isinstance(raw, str):
                    received.append(json.loads(raw))
        except TimeoutError:
            pass
    return received


def converse(page, messages, quiet_s: float = 4.0) -> list[dict]:
    return asyncio.run(_converse(page, messages, quiet_s))


def test_lesson_pages_and_contents_api_carry_no_code(course_server):
    page = open_page(course_server.url, f"/voila/render/{LESSON}")
    assert page.status == 200
    for source in ("from communitylab.course import start", "AttentionLab()", "lab.set(niche_width"):
        assert source not in page.html
    status, _, body = http_get(f"{course_server.url}/voila/files/{LESSON}")
    assert status in (403, 404) and "AttentionLab" not in body
    status, _, body = http_get(f"{course_server.url}/voila/api/contents/{LESSON}")
    assert "AttentionLab" not in body and (status != 200 or json.loads(body)["content"] is None)
    page.close()


def test_the_kernel_ignores_a_page_asking_it_to_execute_code(course_server, trapped_course, tmp_path):
    marker = tmp_path / "EXECUTED"
    page = open_page(course_server.url, f"/voila/render/{LESSON}")
    replies = converse(
        page,
        [
            kernel_message("execute_request", {"code": f"open({str(marker)!r}, 'w').write('x')", "silent": False}),
            kernel_message("kernel_info_request", {}),
        ],
    )
    assert any(reply["msg_type"] == "kernel_info_reply" for reply in replies)  # the channel itself works
    assert not any(reply["msg_type"] == "execute_reply" for reply in replies)
    assert not marker.exists()
    page.close()


ESCAPES = [
    "notebooks/../../outside/escape.ipynb",
    "notebooks/%2e%2e/%2e%2e/outside/escape.ipynb",
    "notebooks%2F..%2F..%2Foutside%2Fescape.ipynb",
    "%2Fetc%2Fpasswd",
    "/etc/passwd",
    "notebooks/linked/escape.ipynb",  # folder symlink
    "notebooks/escape.ipynb",  # file symlink
    "notebooks/linked",
    "notebooks/linked/secret.txt",
    "notebooks/linked/picture.png",
    "notebooks/picture.png",
]


@pytest.mark.parametrize("route", ["render", "tree", "api/contents", "files"])
def test_no_path_outside_the_course_is_served_or_run(course_server, trapped_course, course_secret, route):
    for path in ESCAPES:
        status, _, body = http_get(f"{course_server.url}/voila/{route}/{path}")
        assert status in (301, 302, 400, 403, 404), f"{route}/{path} answered {status}"
        assert course_secret not in body and "root:" not in body and "secret.txt" not in body
    time.sleep(1)
    assert not (trapped_course.parent / "RAN_OUTSIDE").exists()


def test_hidden_folders_and_course_sources_are_not_served(course_server):
    refused = [
        "files/.git/image.png",
        "files/.venv/image.png",
        "files/notebooks/.cache/image.png",
        "files/%2Egit/image.png",
        "tree/.git",
        "api/contents/.venv",
        "api/contents/notebooks/.cache",
        "files/datasets/telegram-launch/result.json",
        "api/contents/datasets",
        "render/datasets",
    ]
    for path in refused:
        status, _, _ = http_get(f"{course_server.url}/voila/{path}")
        assert status in (403, 404), f"{path} answered {status}"
    # while an image inside a lesson folder is served, so lessons can show figures
    assert http_get(f"{course_server.url}/voila/files/notebooks/en/figure.png")[0] == 200
    listing = json.loads(http_get(f"{course_server.url}/voila/api/contents/notebooks")[2])
    assert not [item for item in listing["content"] if item["name"].startswith(".")]


def test_exercise_pages_do_not_carry_their_solutions(course_server):
    from communitylab.exercises import m01

    page = open_page(course_server.url, f"/voila/render/{EXERCISES}")
    assert page.status == 200
    solutions = [exercise.solution for exercise in m01.EXERCISES if exercise.solution]
    assert solutions
    code_lines = {line.strip() for solution in solutions for line in solution.splitlines() if len(line.strip()) >= 20}
    assert code_lines
    for line in code_lines:
        assert line not in page.html, f"a solution line reached the page: {line}"
    for path in ("src/communitylab/exercises/m01.py", "../src/communitylab/exercises/m01.py"):
        assert http_get(f"{course_server.url}/voila/files/{path}")[0] in (403, 404)
    page.close()


@pytest.mark.parametrize(
    "path", ["/", f"/voila/render/{LESSON}", "/voila/api/contents/notebooks", "/voila/static/voila.js", "/no/such/page"]
)
def test_a_foreign_host_header_is_refused(course_server, path):
    for host in ("evil.example", "evil.example:80", f"attacker.test:{course_server.port}", "127.0.0.1.evil.example"):
        status, _, body = http_get(course_server.url + path, host=host)
        assert status == 403, f"{path} with Host {host} answered {status}"
        assert "voila" not in body.lower() or "<script" not in body
    for host in (f"localhost:{course_server.port}", f"127.0.0.1:{course_server.port}", f"[::1]:{course_server.port}"):
        status, _, _ = http_get(course_server.url + path, host=host)
        assert status in (200, 301, 302) or (status == 404 and "no/such" in path)


def test_malformed_widget_messages_bring_back_no_traceback_or_file_path(course_server, trapped_course):
    page = open_page(course_server.url, f"/voila/render/{LESSON}")
    replies = converse(page, [kernel_message("comm_info_request", {"target_name": "jupyter.widget"})], quiet_s=3)
    comms = next(reply for reply in replies if reply["msg_type"] == "comm_info_reply")["content"]["comms"]
    malformed = [
        {"method": "update", "state": {"value": "not a number"}, "buffer_paths": []},
        {"method": "update", "state": {"value": 1e308, "min": "x"}, "buffer_paths": [["value", 7]]},
        {"method": "update", "state": {"children": ["IPY_MODEL_nonexistent"]}, "buffer_paths": []},
        {"method": "custom", "content": {"event": "click"}},
        {"method": "bogus"},
        {"state": 5},
        [1, 2, 3],
    ]
    messages = [
        kernel_message("comm_msg", {"comm_id": comm_id, "data": data})
        for comm_id in list(comms)[:25]
        for data in malformed
    ]
    messages.append(kernel_message("comm_msg", {"comm_id": "no-such-comm", "data": {"method": "update"}}))
    replies = converse(page, messages, quiet_s=6)
    text = json.dumps(replies)
    errors = [reply for reply in replies if reply["msg_type"] == "error"]
    assert errors, "the malformed messages should have made the kernel report errors"
    for revealing in ("Traceback", 'File \\"', "site-packages", str(trapped_course), "/usr/lib", '.py\\"'):
        assert revealing not in text, f"{revealing!r} reached the browser"
    page.close()


def test_error_pages_name_no_file_and_show_no_traceback(course_server, trapped_course):
    for path in (
        "/voila/render/notebooks/en/no_such_lesson.ipynb",
        "/voila/tree/notebooks/en/nothing",
        "/voila/api/contents/notebooks/nothing",
        "/voila/files/notebooks/nothing.png",
        "/api/kernels/00000000-0000-0000-0000-000000000000",
    ):
        status, headers, body = http_get(course_server.url + path)
        assert status >= 400
        for revealing in (str(trapped_course), "Traceback", "site-packages", "/tmp/"):
            assert revealing not in body, f"{path} showed {revealing!r}"
        if "text/html" in headers.get("content-type", ""):
            assert "cdn." not in body and "https://" not in body


def test_a_client_of_the_older_websocket_protocol_cannot_stall_the_server(course_server):
    """Chart records go to the page as binary buffers; a client that did not ask for the v1 protocol gets them in
    the older binary framing, whose first bytes Voila's own reader took for a count of billions of offsets and
    looped over, stalling every page (serve.channels.read_v1_header reads only what fits the message)."""
    page = open_page(course_server.url, f"/voila/render/{LESSON}")
    control = [
        kernel_message(
            "comm_open",
            {"comm_id": "control-1", "target_name": "jupyter.widget.control", "data": {}},
            metadata={"version": "1.0.0"},
        ),
        kernel_message("comm_msg", {"comm_id": "control-1", "data": {"method": "request_states"}}),
    ]
    converse(page, control, quiet_s=3)
    status, _, _ = http_get(course_server.url + "/", timeout=20)
    assert status == 200, "the server stopped answering after sending binary widget state"
    page.close()
