"""``communitylab import`` and ``communitylab report`` on synthetic exports and on bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pandas as pd
import pytest

from communitylab.cli import main
from communitylab.data.schema import EVENT_KINDS
from communitylab.data.synthetic import generate_community
from communitylab.data.writers import write_telegram_json
from communitylab.models import participation


def import_main(argv):
    return main(["import", *argv])


def report_main(argv):
    return main(["report", *argv])


KEYS = ["format", "messages", "system_events", "authors", "first", "last", "replies", "read", "kept", "dropped"]


@pytest.fixture(scope="module")
def community():
    return generate_community(participation.Params(members=120, days=40), seed=11, tz="Europe/Berlin")


@pytest.fixture(scope="module")
def telegram_export(community, tmp_path_factory):
    return write_telegram_json(community.messages, tmp_path_factory.mktemp("tg") / "result.json")


def summary_of(capsys, *argv) -> dict:
    assert import_main([*argv, "--summary-json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_summary_json_matches_the_generated_table(capsys, community, telegram_export):
    table = community.messages
    posts = table[~table["kind"].isin(EVENT_KINDS)]
    out = summary_of(capsys, str(telegram_export), "--tz", "Europe/Berlin")
    assert list(out) == KEYS
    assert out["format"] == "telegram"
    assert out["messages"] == len(posts)
    assert out["system_events"] == len(table) - len(posts)
    assert out["authors"] == posts["author_id"].nunique()
    assert out["replies"] == posts["reply_to"].notna().sum()
    assert out["read"] == out["kept"] == len(table) and out["dropped"] == 0
    # ISO 8601 with the offset of the zone asked for; the same instants as the table
    assert pd.Timestamp(out["first"]) == posts["timestamp"].min()
    assert pd.Timestamp(out["last"]) == posts["timestamp"].max()
    assert out["first"].endswith(("+01:00", "+02:00"))


def test_duplicates_are_counted_once_and_bad_records_listed(capsys, telegram_export, tmp_path):
    data = json.loads(telegram_export.read_text(encoding="utf-8"))
    first_post = next(m for m in data["messages"] if m["type"] == "message")
    broken = {"id": 999_999, "type": "message", "from": "X", "text": "no date"}
    data["messages"] = [*data["messages"], dict(first_post), broken]
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = summary_of(capsys, str(path))
    n = len(data["messages"])
    assert out["read"] == n
    assert out["dropped"] == 2  # the repeat and the record without a date
    assert out["kept"] == n - 2
    assert out["read"] == out["kept"] + out["dropped"]
    # the readable form names the file, the record and the reason
    assert import_main([str(path)]) == 0
    captured = capsys.readouterr()
    assert "messages" in captured.out and "read" in captured.out
    assert f"result.json, record {n}:" in captured.err  # the record without a date
    assert f"result.json, record {n - 1}:" in captured.err  # the repeat


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.json", b""),
        ("cut.json", b'{"name": "g", "messages": [{"id": 1, "type": "mess'),
        ("notes.txt", b"just some notes\nnothing like a chat\n"),
        ("gb.csv", "时间,内容\n".encode("gb18030") + b"\xff\xfe\x00bad"),
    ],
)
def test_bad_input_exits_2_with_a_message(capsys, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    assert import_main([str(path), "--summary-json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("communitylab import: error:")
    assert name in captured.err  # the message says which file
    assert "Traceback" not in captured.err


def test_missing_file_and_oversized_file(capsys, tmp_path, telegram_export):
    assert import_main([str(tmp_path / "nope.json")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert import_main([str(telegram_export), "--max-mb", "0.001"]) == 2
    assert "communitylab import: error:" in capsys.readouterr().err


def test_console_script_never_shows_a_traceback(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"messages": [', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "communitylab.cli", "import", str(path), "--summary-json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip()


class _Resources(HTMLParser):
    """Collects every URL-valued attribute and the tags that could load something."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            is_namespace = name == "xmlns" or name.startswith("xmlns:")
            if value and not is_namespace and ("http://" in value or "https://" in value):
                self.urls.append((tag, name, value))


def test_report_is_standalone_and_offline(capsys, telegram_export, tmp_path):
    out = tmp_path / "report.html"
    assert report_main([str(telegram_export), "--out", str(out), "--lang", "en"]) == 0
    page = out.read_text(encoding="utf-8")
    parser = _Resources()
    parser.feed(page)
    assert parser.tags.isdisjoint({"script", "link", "iframe", "img", "object", "embed"})
    # the only web addresses are citation links of the reference list
    assert parser.urls, "the references should be links"
    assert all(tag == "a" and name == "href" for tag, name, _ in parser.urls)
    assert {value for _, _, value in parser.urls} <= {
        "https://www.nngroup.com/articles/participation-inequality/",
        "https://doi.org/10.2196/jmir.2966",
        "https://doi.org/10.1016/j.intmar.2008.11.003",
    }
    assert "url(http" not in page and "@import" not in page
    # six charts drawn as inline SVG, and the summary numbers
    assert page.count("<svg") == 6
    assert "Community health report" in page
    assert "Stickiness (DAU/MAU)" in page
    assert "wrote" in capsys.readouterr().out
    # every chart says what it shows: no caption is repeated under a chart it does not describe
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page, flags=re.S)
    assert len(captions) == 6 and captions[0] != captions[1]


def test_report_in_chinese(tmp_path, telegram_export):
    out = tmp_path / "报告.html"
    assert report_main([str(telegram_export), "--out", str(out), "--lang", "zh"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "社群健康报告" in page
    assert '<html lang="zh-CN">' in page


def test_report_bad_input(capsys, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert report_main([str(path), "--out", str(tmp_path / "r.html")]) == 2
    assert not (tmp_path / "r.html").exists()
    assert "communitylab report: error:" in capsys.readouterr().err


def test_unknown_format_choice_is_a_usage_error(capsys, telegram_export):
    with pytest.raises(SystemExit) as stop:
        import_main([str(telegram_export), "--format", "myspace"])
    assert stop.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_wrong_format_with_nothing_usable_exits_2(capsys, telegram_export, tmp_path):
    text = tmp_path / "chat.txt"
    text.write_text("hello\nthis is not a chat\n", encoding="utf-8")
    assert import_main([str(text), "--format", "whatsapp", "--summary-json"]) == 2
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["read"] == 2 and out["kept"] == 0 and out["dropped"] == 2
    assert "none of the 2 records" in captured.err and "--format" in captured.err
    assert report_main([str(text), "--format", "whatsapp", "--out", str(tmp_path / "r.html")]) == 2
    assert not (tmp_path / "r.html").exists()
