"""The module 07 dashboard, built and driven without a browser."""

from __future__ import annotations

import datetime as dt

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
    assert simulated.summary()["messages"] > 0
    rows = [row for data in lab.chart_specs["lorenz"]["datasets"].values() for row in data]
    assert {"this community", "simulated community"} <= {row.get("community") for row in rows}
    assert "simulated community:" in lab._monitor_boxes["gini"].value
    lab.compare(False)
    assert lab.simulated is None
    assert "simulated" not in lab._monitor_boxes["gini"].value


def test_bad_and_oversized_uploads_are_explained_and_keep_the_data(lab):
    before = lab.metrics
    assert lab.load_bytes("result.json", b'{"messages": [{"id": 1') is False
    assert "cl-error" in lab.status and "Could not import" in lab.status
    assert lab.metrics is before
    lab.upload_limit_mb = 0.001
    assert lab.load_bytes("chat.txt", b"x" * 5000) is False
    assert "limit here is 0.001 MB" in lab.status


def test_upload_widget_value_is_imported_and_then_forgotten(lab):
    path = bundled_files()["whatsapp-club/chat-android.txt"]
    content = path.read_bytes()
    lab._upload.value = (
        {
            "name": "chat.txt",
            "type": "text/plain",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime(2024, 5, 6, tzinfo=dt.UTC),
        },
    )
    assert "chat.txt, whatsapp" in lab.status
    assert lab._upload.value == ()
    assert lab._dataset.value == ""


def test_language_switch_relabels(lab):
    i18n.set_lang("zh_CN")
    assert "社群健康仪表盘" in lab._title.value
    assert "成员消息数" in lab._monitor_boxes["messages"].value
    assert lab._language.value == "zh_CN"
