"""The module 07 dashboard, built and driven without a browser."""

from __future__ import annotations

import pandas as pd
import pytest

from communitylab import i18n
from communitylab.data.bundled import bundled_files
from communitylab.labs.dashboard import CHART_NAMES, MONITORS, DashboardLab


@pytest.fixture
def lab():
    previous = i18n.get_lang()
    i18n.set_lang("en")
    built = DashboardLab("wechat-study-group/wechatmsg.csv")
    yield built
    built._unsubscribe()
    i18n.set_lang(previous)


def test_every_bundled_dataset_is_offered(lab):
    offered = [value for _, value in lab._dataset.options if value]
    assert offered == list(bundled_files())
    assert len(offered) >= 8  # both WeChat flavours, Telegram, Discord x2, WhatsApp x2, Slack


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_dataset_menu_names_each_export_in_the_readers_language(lab, lang):
    """The menu shows a title and the file name, never the raw "<folder>/<file>" key; a switch keeps the choice."""
    i18n.set_lang(lang)
    folders = {value.split("/")[0] for _, value in lab._dataset.options if value}
    for folder in folders:  # every bundled dataset has a title in this language's catalog
        assert f"dashboard.datasets.{folder}" in i18n.catalog(lang), folder
    for label, value in lab._dataset.options:
        if value:
            assert value not in label and value.split("/")[1] in label, label
    assert lab._dataset.value == "wechat-study-group/wechatmsg.csv"
    assert "wechatmsg.csv" in lab.status  # the switch relabelled the menu without reloading another export


def test_opening_a_dataset_fills_monitors_and_charts(lab):
    summary = lab.metrics.summary()
    assert summary["messages"] > 1000
    assert f"{summary['messages']:,}" in lab._monitor_boxes["messages"].value
    assert set(lab._monitor_boxes) == set(MONITORS)
    specs = lab.chart_specs
    assert set(specs) == set(CHART_NAMES)
    for name, spec in specs.items():
        data = next(iter(spec["datasets"].values()))
        assert len(data) > 0, name
    assert "wechatmsg.csv" in lab.status
    # pseudonymised: contributors are "Member …", never the generator's names
    assert all(name.startswith("Member ") for name in lab.metrics.top["name"])


def test_switching_dataset_from_the_dropdown(lab):
    lab._dataset.value = "slack-workspace/slack-export.zip"
    assert "slack-export.zip" in lab.status
    assert lab.metrics.replies.method == "explicit"  # Slack threads are explicit replies


def test_compare_with_a_simulated_community(lab):
    simulated = lab.compare(True)
    assert simulated is not None and lab.simulated is simulated
    assert lab.comparison == "moderated" and lab._compare_menu.value == "moderated"
    assert simulated.summary()["messages"] > 0
    rows = [row for data in lab.chart_specs["lorenz"]["datasets"].values() for row in data]
    assert {"this community", "moderated (simulated)"} <= {row.get("community") for row in rows}
    assert "moderated (simulated):" in lab._monitor_boxes["gini"].value
    lab.compare(False)
    assert lab.simulated is None and lab.comparison == ""
    assert "simulated" not in lab._monitor_boxes["gini"].value
    with pytest.raises(KeyError, match="unknown comparison"):
        lab.compare("thriving")


def test_the_moderated_community_stays_alive_where_the_one_left_to_itself_goes_quiet(lab):
    """The study group (238 posters, 90 days) beside the participation model: its defaults go quiet within two
    weeks, which made every simulated figure look extreme; the moderated preset still talks in the last week."""
    real_last_day = lab.metrics.activity.index[-1]
    left_alone = lab.compare("unmoderated")
    messages = left_alone.activity["messages"]
    assert messages.iloc[14:].sum() < 0.05 * messages.sum()
    moderated = lab.compare("moderated")
    last_week = moderated.activity["messages"].loc[real_last_day - pd.Timedelta(days=6) :]
    assert len(last_week) == 7 and last_week.min() > 0
    assert moderated.summary()["churn_rate"] < left_alone.summary()["churn_rate"]
    assert moderated.summary()["week1_retention"] > left_alone.summary()["week1_retention"]
    assert "left to itself" not in lab._monitor_boxes["gini"].value


def test_the_comparison_menu_names_both_communities_in_each_language(lab):
    lab._compare_menu.value = "unmoderated"  # as a choice in the menu does
    assert lab.comparison == "unmoderated" and lab.simulated is not None
    assert "left to itself (simulated):" in lab._monitor_boxes["gini"].value
    assert [value for _, value in lab._compare_menu.options] == ["", "moderated", "unmoderated"]
    i18n.set_lang("zh_CN")
    assert lab._compare_menu.value == "unmoderated"  # relabelling keeps the choice
    assert "无人运营（模拟）：" in lab._monitor_boxes["gini"].value  # a full-width colon in Chinese
    assert [label for label, _ in lab._compare_menu.options][1:] == ["有人运营的社群（模拟）", "无人运营的社群（模拟）"]


def test_bad_and_oversized_uploads_are_explained_and_keep_the_data(lab):
    before = lab.metrics
    assert lab.load_bytes("result.json", b'{"messages": [{"id": 1') is False
    assert "cl-error" in lab.status and "Could not import" in lab.status
    assert lab.metrics is before
    lab.upload_limit_mb = 0.001
    assert lab.load_bytes("chat.txt", b"x" * 5000) is False
    assert "limit here is 0.001 MB" in lab.status


def test_a_file_from_the_picker_is_imported(lab):
    content = bundled_files()["whatsapp-club/chat-android.txt"].read_bytes()
    # what the browser sends: the name and size, and the bytes as one buffer
    lab._upload._handle_message(lab._upload, {"event": "file", "name": "chat.txt", "size": len(content)}, [content])
    assert "chat.txt, WhatsApp" in lab.status
    assert lab._dataset.value == ""


def test_a_file_too_large_to_send_gets_a_message_in_both_languages(lab):
    before = lab.metrics
    lab._upload._handle_message(lab._upload, {"event": "refused", "name": "group.csv", "size": 52 * 2**20}, [])
    assert "cl-error" in lab.status
    assert "“group.csv” is 52.0 MB; the limit here is 9.5 MB, so it was not sent" in lab.status
    assert lab.metrics is before
    i18n.set_lang("zh_CN")
    lab._upload._handle_message(lab._upload, {"event": "refused", "name": "群聊.csv", "size": 52 * 2**20}, [])
    assert "“群聊.csv”有 52.0 MB，这里的上限是 9.5 MB，所以没有发送" in lab.status


def _zip_of(path, members: dict[str, bytes]):
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_that_unpacks_past_the_cap_is_refused_with_a_message(tmp_path):
    previous = i18n.get_lang()
    i18n.set_lang("en")
    lab = DashboardLab(None, unpacked_limit_mb=1)
    try:
        # 3 MB of spaces pack into a few kilobytes
        archive = _zip_of(
            tmp_path / "export.zip", {"channels.json": b"[]", "general/2024-01-01.json": b"[" + b" " * 3 * 2**20 + b"]"}
        )
        assert archive.stat().st_size < 50_000
        assert lab.load_bytes("export.zip", archive.read_bytes()) is False
        assert "The zip archive “export.zip” unpacks to more than 1 MB, so it was not opened" in lab.status
        assert lab.metrics is None
        i18n.set_lang("zh_CN")
        lab.load_bytes("导出.zip", archive.read_bytes())
        assert "压缩包“导出.zip”解压后超过 1 MB，所以没有打开" in lab.status
        # within the cap the same kind of archive is read
        small = _zip_of(tmp_path / "small.zip", {"channels.json": b"[]", "general/2024-01-01.json": b"[]"})
        lab.load_bytes("small.zip", small.read_bytes())
        assert "压缩包" not in lab.status
    finally:
        lab._unsubscribe()
        i18n.set_lang(previous)


_MEASURED_KERNEL = """
import re, sys
from communitylab import i18n
from communitylab.labs.dashboard import DashboardLab
i18n.set_lang("en")
lab = DashboardLab(None)
loaded = lab.load_bytes("bomb.zip", open(sys.argv[1], "rb").read())
# VmHWM: this process's peak since exec (getrusage would include pytest's own peak, kept across exec)
print(loaded, re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
print(lab.status)
"""


def test_a_zip_bomb_is_refused_and_the_kernel_stays_small(tmp_path):
    """A zip of a few megabytes that unpacks to 1 GiB (issue 11 found the kernel at 2.2 GB),
    imported by a dashboard in a fresh process: refused unread, the process stays small."""
    import subprocess
    import sys
    import zipfile

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("channels.json", "[]")
        with archive.open("general/2024-01-01.json", "w", force_zip64=True) as member:
            member.write(b"[")
            for _ in range(1024):
                member.write(b" " * 2**20)
            member.write(b"]")
    assert bomb.stat().st_size < 9.5 * 2**20  # small enough to upload
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED_KERNEL, str(bomb)], capture_output=True, text=True, check=True
    )
    first, status = done.stdout.strip().splitlines()[-2:]
    loaded, peak_kib = first.split()
    assert loaded == "False"
    assert "unpacks to more than 200 MB, so it was not opened" in status
    assert int(peak_kib) < 1024**2  # the whole process under 1 GiB


def test_members_are_named_in_the_pages_language(lab):
    i18n.set_lang("zh_CN")
    lab.load_dataset("telegram-launch/result.json")
    assert all(name.startswith("成员 ") for name in lab.metrics.top["name"])


def test_language_switch_relabels(lab):
    i18n.set_lang("zh_CN")
    assert "社群健康仪表盘" in lab._title.value
    assert "成员消息数" in lab._monitor_boxes["messages"].value
    assert lab._language.value == "zh_CN"
