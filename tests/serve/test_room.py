"""Room mode of ``communitylab present``: kernels given back, a cap with a clear page, a clean stop, a guarded door."""

from __future__ import annotations

import asyncio
import signal
import time

import psutil
import pytest
from voila_browser import VoilaServer, is_kernel
from voila_client import http_get, open_page

from communitylab import i18n
from communitylab.cli import main
from communitylab.cli.present import banner
from communitylab.serve.plan import ServePlan

LESSON = "/voila/render/notebooks/en/01_value_positioning.ipynb"


def kernel_exists(server, kernel_id: str) -> bool:
    return http_get(f"{server.url}/api/kernels/{kernel_id}")[0] == 200


def wait_until(condition, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


async def _connect_and_drop(page) -> None:
    import websockets

    async with websockets.connect(page.channels_url, additional_headers={"Cookie": page.cookie_header}):
        await asyncio.sleep(0.5)


@pytest.fixture(scope="module")
def small_room(trapped_course):
    """A room capped at 2 kernels, no preheating (pages here never connect: a long grace keeps their kernels)."""
    with VoilaServer(trapped_course, args=("--max-kernels", "2", "--cull-after", "120")) as server:
        yield server


def test_a_closed_tab_gives_its_kernel_back_at_once_and_a_full_room_answers_503(small_room):
    first, second = open_page(small_room.url, LESSON), open_page(small_room.url, LESSON)
    assert first.status == second.status == 200
    full = open_page(small_room.url, LESSON + "?lang=zh_CN")
    assert full.status == 503
    status, headers, body = http_get(small_room.url + LESSON)
    assert status == 503 and headers["retry-after"] == "60"
    for lang in ("en", "zh_CN"):
        assert i18n.t("serve.full.title", lang) in body
    assert first.close() == 204  # the tab's shutdown beacon is accepted (it was refused: missing _xsrf)
    assert not kernel_exists(small_room, first.kernel_id)
    third = open_page(small_room.url, LESSON)
    assert third.status == 200
    for page in (second, third):
        assert page.close() == 204


def test_a_page_whose_connection_dropped_loses_its_kernel_after_the_grace(trapped_course):
    with VoilaServer(trapped_course, args=("--cull-after", "4")) as server:
        page = open_page(server.url, LESSON)
        asyncio.run(_connect_and_drop(page))  # a laptop that closed its lid: no shutdown beacon
        dropped = time.monotonic()
        assert kernel_exists(server, page.kernel_id)
        assert wait_until(lambda: not kernel_exists(server, page.kernel_id), timeout=30)
        assert time.monotonic() - dropped >= 3
        assert "no page connected" in server.log()


def test_pools_and_pages_never_exceed_the_kernel_cap(trapped_course):
    args = ("--room", "3", "--lessons", "01", "--max-kernels", "4", "--cull-after", "30")
    with VoilaServer(trapped_course, lang="en", args=args) as server:
        server.wait_for_pools(2)
        peak = 0
        pages = []
        for _ in range(4):
            pages.append(open_page(server.url, LESSON))
            time.sleep(1.5)  # let refills start, if any were to
            peak = max(peak, len(server.kernel_processes()))
        assert [page.status for page in pages] == [200, 200, 200, 200]
        assert open_page(server.url, LESSON).status == 503
        time.sleep(3)
        peak = max(peak, len(server.kernel_processes()))
        assert peak <= 4
        assert pages[0].close() == 204
        assert open_page(server.url, LESSON).status == 200


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stopping_the_server_stops_voila_and_every_kernel(trapped_course, sig):
    with VoilaServer(trapped_course, lang="en", args=("--room", "2", "--lessons", "01")) as server:
        server.wait_for_pools(2)
        page = open_page(server.url, LESSON)
        assert page.status == 200
        kernels = server.kernel_processes()
        assert len(kernels) >= 2
        assert server.stop(sig, timeout=60) == 0
    assert wait_until(lambda: not any(k.is_running() and k.status() != psutil.STATUS_ZOMBIE for k in kernels), 20)
    assert not [p for p in psutil.process_iter() if is_kernel(p) and page.kernel_id in " ".join(p.cmdline())]


def test_binding_beyond_loopback_without_a_token_is_refused(tmp_path, capsys):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "index.ipynb").write_text("{}")
    assert main(["present", "--root", str(tmp_path), "--host", "0.0.0.0", "--token", ""]) == 2
    assert "needs an access token" in capsys.readouterr().err
    with pytest.raises(ValueError, match="access token"):
        ServePlan(root=tmp_path, host="192.168.1.20")


def test_a_room_on_the_network_prints_its_address_token_qr_code_and_memory(trapped_course):
    plan = ServePlan(root=trapped_course, host="0.0.0.0", token="k3y9xmpq7a", room=20, lessons=("01",))
    text = banner(plan)
    assert "?token=k3y9xmpq7a" in text and "access token: k3y9xmpq7a" in text
    assert "█" in text and "▀" in text  # the QR code
    assert "Memory needed: about" in text and f"at most {plan.kernel_cap} alive" in text


def test_a_token_guards_every_page_when_one_is_set(trapped_course):
    with VoilaServer(trapped_course, args=("--token", "s3cr3tt0k3n")) as server:
        status, headers, _ = http_get(server.url + LESSON)
        assert status in (302, 403) and "s3cr3tt0k3n" not in headers.get("location", "")
        assert http_get(server.url + "/voila/api/contents/notebooks")[0] == 403
        assert open_page(server.url, LESSON + "?token=s3cr3tt0k3n").status == 200


def test_the_servers_address_shows_the_course_map_without_starting_a_kernel(trapped_course):
    with VoilaServer(trapped_course) as server:
        status, headers, body = http_get(server.url + "/")
        assert status == 200 and "text/html" in headers["content-type"]
        assert 'href="voila/render/notebooks/en/01_value_positioning.ipynb?lang=en"' in body
        assert 'href="voila/render/exercises/en/01_value_positioning_exercises.ipynb?lang=en"' in body
        assert i18n.t("course.module.m01.title", "en") in body
        zh = http_get(server.url + "/?lang=zh_CN")[2]
        assert i18n.t("course.map", "zh_CN") in zh and i18n.t("course.title", "zh_CN") in zh  # (no zh lessons here)
        assert "http://" not in body and "https://" not in body  # nothing fetched off the machine
        assert server.kernel_processes() == []
