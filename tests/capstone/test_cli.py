"""``communitylab capstone``: submit through the plan's validation, rank a room, list the levers."""

from __future__ import annotations

import json

from communitylab.cli import main


def test_submit_then_leaderboard_json(tmp_path, capsys):
    assert (
        main(
            [
                "capstone",
                "submit",
                "--room",
                str(tmp_path),
                "--team",
                "Alpha",
                "--set",
                "checkin=on",
                "--set",
                "app=true",
            ]
        )
        == 0
    )
    assert main(["capstone", "submit", "--room", str(tmp_path), "--team", "Beta"]) == 0
    (tmp_path / "junk.json").write_text("{")
    capsys.readouterr()
    assert main(["capstone", "leaderboard", "--room", str(tmp_path), "--json", "--seeds", "3"]) == 0
    out = capsys.readouterr()
    board = json.loads(out.out)
    assert [row["team"] for row in board["rows"]] == ["Alpha", "Beta"] and board["seeds"] == 3
    assert {"mean", "p10", "p90", "spread", "weakest", "pillars", "levers"} <= set(board["rows"][0])
    assert "junk.json" in out.err


def test_bad_plans_exit_2_and_write_nothing(tmp_path, capsys):
    for setting in ("posts_per_day=900", "posts_per_day=200", "audience=5", "checkin", "reach=lots"):
        assert main(["capstone", "submit", "--room", str(tmp_path), "--team", "Alpha", "--set", setting]) == 2
    err = capsys.readouterr().err
    assert "posts_per_day = 900 is outside its range [1, 200] msgs/day" in err
    assert "hours a week" in err and "audience" in err and "lever=value" in err
    assert not tmp_path.exists() or list(tmp_path.iterdir()) == []


def test_levers_and_an_empty_room(tmp_path, capsys):
    assert main(["capstone", "levers"]) == 0
    text = capsys.readouterr().out
    assert "followers" in text and "05" in text and "h/week" in text
    assert main(["capstone", "leaderboard", "--room", str(tmp_path)]) == 0
    assert "No submissions" in capsys.readouterr().out
    assert main(["capstone", "--lang", "zh", "levers"]) == 0
    assert "课程假设" in capsys.readouterr().out
