"""Progress files: concurrent appends, damaged lines, the learner and room summaries, the CLI."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from communitylab.cli import main as cli_main
from communitylab.exercises import progress


def main(argv):
    return cli_main(["progress", *argv])


WRITERS = 4
RECORDS_EACH = 150


def _write_many(path: str, writer: int) -> None:
    for n in range(RECORDS_EACH):
        # a long answer makes interleaving visible if a write were ever split
        progress.append_record(
            {
                "exercise": f"m01.q{n % 3 + 1}",
                "event": "check",
                "outcome": "incorrect",
                "answer": f"w{writer}-{n}-" + "x" * 300,
            },
            Path(path),
        )


def test_concurrent_writers_leave_only_whole_lines(tmp_path):
    path = tmp_path / "progress-shared.jsonl"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(str(path), w)) for w in range(WRITERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == WRITERS * RECORDS_EACH
    answers = {json.loads(line)["answer"].split("-x")[0] for line in lines}
    assert len(answers) == WRITERS * RECORDS_EACH  # nothing lost, nothing merged


def test_truncated_last_line_is_skipped_and_the_next_record_starts_fresh(tmp_path):
    path = tmp_path / "progress-ana.jsonl"
    progress.append_record({"exercise": "m01.q1", "event": "check", "outcome": "incorrect"}, path)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write('{"exercise": "m01.q1", "event": "ch')  # the writer died here
    records, skipped = progress.read_records(path)
    assert len(records) == 1 and [(p.line, p.reason) for p in skipped] == [(2, "not JSON")]
    progress.append_record({"exercise": "m01.q1", "event": "check", "outcome": "correct"}, path)
    records, skipped = progress.read_records(path)
    assert [r["outcome"] for r in records] == ["incorrect", "correct"] and len(skipped) == 1


def test_unwritable_folder_does_not_raise(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert progress.append_record({"exercise": "m01.q1"}, blocker / "sub" / "p.jsonl") is False


def test_default_location_follows_the_environment(private_progress, monkeypatch):
    monkeypatch.setenv("COMMUNITYLAB_LEARNER", "Li Lei/../x")
    path = progress.progress_file()
    assert path.parent == private_progress and "/" not in path.name[9:] and path.suffix == ".jsonl"


def _room(folder: Path) -> None:
    """Three learners; ana solves q1 at her 2nd check, bo at his 3rd, cy never; q2 only by ana."""
    plan = {
        "ana": [
            ("m01.q1", "not_attempted", None),
            ("m01.q1", "incorrect", "grows"),
            ("m01.q1", "correct", None),
            ("m01.q2", "correct", None),
        ],
        "bo": [("m01.q1", "incorrect", "grows"), ("m01.q1", "incorrect", "unchanged"), ("m01.q1", "correct", None)],
        "cy": [("m01.q1", "incorrect", "grows"), ("m01.q1", "error", None), ("m01.q10", "incorrect", None)],
    }
    for learner, events in plan.items():
        path = folder / f"progress-{learner}.jsonl"
        for exercise, outcome, wrong in events:
            progress.append_record(
                {
                    "learner": learner,
                    "exercise": exercise,
                    "event": "check",
                    "outcome": outcome,
                    "wrong": wrong,
                    "answer": "0.9",
                },
                path,
            )
        progress.append_record({"learner": learner, "exercise": "m01.q1", "event": "hint"}, path)


def test_room_summary_on_synthetic_files(tmp_path):
    _room(tmp_path)
    (tmp_path / "progress-broken.jsonl").write_text("not json\n", encoding="utf-8")
    records, skipped = progress.read_records(tmp_path)
    assert len(skipped) == 1
    rows = {row["exercise"]: row for row in progress.room_summary(records)}
    assert list(rows) == ["m01.q1", "m01.q2", "m01.q10"]  # numeric order
    q1 = rows["m01.q1"]
    assert (q1["attempted"], q1["solved"], q1["median_checks_to_solve"]) == (3, 2, 2.5)
    assert (q1["common_wrong"], q1["common_wrong_count"]) == ("grows", 3)
    assert (rows["m01.q2"]["attempted"], rows["m01.q2"]["solved"]) == (1, 1)
    assert rows["m01.q10"]["median_checks_to_solve"] is None and rows["m01.q10"]["common_wrong"] == "0.9"


def test_learner_summary():
    records = [
        {"exercise": "m01.q1", "event": "check", "outcome": "not_attempted"},
        {"exercise": "m01.q1", "event": "hint"},
        {"exercise": "m01.q1", "event": "check", "outcome": "incorrect"},
        {"exercise": "m01.q1", "event": "check", "outcome": "correct"},
        {"exercise": "m01.q1", "event": "check", "outcome": "incorrect"},
    ]
    (row,) = progress.learner_summary(records)
    assert (row["checks"], row["solved"], row["checks_to_solve"], row["hints"], row["last"]) == (
        3,
        True,
        2,
        1,
        "incorrect",
    )


def test_cli_room_table_and_chart(tmp_path, capsys):
    _room(tmp_path / "room")
    chart = tmp_path / "out" / "room.svg"
    assert main(["--room", str(tmp_path / "room"), "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "3 learner(s)" in out and "grows (×3)" in out and "2.5" in out
    assert chart.read_text(encoding="utf-8").lstrip().startswith("<svg")
    assert main(["--room", str(tmp_path / "room"), "--lang", "zh"]) == 0
    assert "全班进度" in capsys.readouterr().out


def test_cli_own_progress(private_progress, capsys):
    assert main([]) == 0
    assert "No progress recorded yet" in capsys.readouterr().out
    progress.append_record({"exercise": "m01.q2", "event": "check", "outcome": "correct"})
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "m01.q2" in out and "yes" in out
    assert main(["--room", str(private_progress / "nope")]) == 2


WRONG_TYPES = {
    "exercise null": '{"exercise": null, "event": "check", "outcome": "correct"}',
    "exercise list": '{"exercise": ["m01.q1"], "event": "check", "outcome": "correct"}',
    "learner dict": '{"exercise": "m01.q1", "learner": {"name": "x"}, "event": "check", "outcome": "correct"}',
    "outcome number": '{"exercise": "m01.q1", "event": "check", "outcome": 1}',
    "a list": '["m01.q1", "check"]',
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "deep nesting inside": '{"exercise": "m01.q1", "answer": ' + "[" * 100_000 + "]" * 100_000 + "}",
}


def test_lines_of_the_wrong_type_are_skipped_with_file_and_line(tmp_path):
    _room(tmp_path)
    broken = tmp_path / "progress-zed.jsonl"
    broken.write_text("\n".join(WRONG_TYPES.values()) + "\n", encoding="utf-8")
    progress.append_record({"exercise": "m01.q2", "event": "check", "outcome": "correct"}, broken)
    records, skipped = progress.read_records(tmp_path)
    assert [(place.path.name, place.line) for place in skipped] == [
        ("progress-zed.jsonl", n) for n in range(1, len(WRONG_TYPES) + 1)
    ]
    assert skipped[0].reason == "exercise is a NoneType" and skipped[5].reason == "nested too deep"
    assert any(r["learner"] == "tester" for r in records)  # the good line of the damaged file is kept
    rows = {row["exercise"]: row for row in progress.room_summary(records)}
    assert rows["m01.q2"]["solved"] == 2  # the rest of the room is kept


def test_cli_room_survives_wrong_types_and_names_the_lines(tmp_path, capsys):
    _room(tmp_path)
    (tmp_path / "progress-zed.jsonl").write_text("\n".join(WRONG_TYPES.values()) + "\n", encoding="utf-8")
    assert main(["--room", str(tmp_path), "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert "3 learner(s)" in captured.out and "grows (×3)" in captured.out
    assert f"({len(WRONG_TYPES)} unreadable line(s) skipped)" in captured.err
    assert "progress-zed.jsonl:1: exercise is a NoneType" in captured.err
