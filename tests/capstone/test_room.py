"""Submissions as files: atomic, concurrent, corrupt files skipped with a warning, the latest counts."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing

import pytest

from communitylab.capstone import plan, room
from communitylab.models import community


def test_submission_file_holds_plan_team_time_and_versions(tmp_path):
    params = plan.make_plan({"checkin": True, "followers": 3000})
    path = room.submit(tmp_path, "Team Alpha", params)
    record = json.loads(path.read_text())
    assert (
        record["team"] == "Team Alpha" and record["levers"]["followers"] == 3000 and record["levers"]["checkin"] is True
    )
    assert (
        record["format"] == room.FORMAT and record["model_version"] == room.MODEL_VERSION and record["course_version"]
    )
    assert dt.datetime.fromisoformat(record["submitted_at"]).tzinfo is not None
    submissions, warnings = room.load(tmp_path)
    assert warnings == [] and len(submissions) == 1 and submissions[0].params == params
    assert not list(tmp_path.glob(".incoming-*"))


def test_invalid_plans_and_names_write_nothing(tmp_path):
    with pytest.raises(plan.PlanError):
        room.submit(tmp_path, "Alpha", community.Params(posts_per_day=200))  # over budget
    with pytest.raises(plan.PlanError):
        room.submit(tmp_path, "../../etc", plan.make_plan({}))
    assert list(tmp_path.iterdir()) == []


def test_resubmission_is_kept_and_the_latest_counts(tmp_path):
    first = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)
    room.submit(tmp_path, "Alpha", plan.make_plan({}), now=first)
    room.submit(tmp_path, "Alpha", plan.make_plan({"checkin": True}), now=first + dt.timedelta(seconds=1))
    room.submit(tmp_path, "Beta", plan.make_plan({}), now=first)
    submissions, _ = room.load(tmp_path)
    assert len(submissions) == 3
    current = {s.team: s.params for s in room.latest(submissions)}
    assert current == {"Alpha": community.Params(checkin=True), "Beta": community.Params()}


def test_corrupt_and_foreign_files_are_skipped_with_a_warning_naming_them(tmp_path):
    room.submit(tmp_path, "Alpha", plan.make_plan({}))
    (tmp_path / "broken.json").write_text('{"format": "communitylab.capstone.submission", "tea')
    (tmp_path / "other.json").write_text('{"hello": 1}')
    (tmp_path / "bad-plan.json").write_text(
        json.dumps(
            {
                "format": room.FORMAT,
                "version": 1,
                "team": "X",
                "levers": {"price": -1},
                "submitted_at": "2026-12-06T10:00:00+00:00",
            }
        )
    )
    (tmp_path / "notes.txt").write_text("not a submission")
    submissions, warnings = room.load(tmp_path)
    assert [s.team for s in submissions] == ["Alpha"]
    assert len(warnings) == 3 and all(
        any(name in w for w in warnings) for name in ("broken.json", "other.json", "bad-plan.json")
    )


def test_missing_room_is_empty(tmp_path):
    assert room.load(tmp_path / "nowhere") == ([], [])


def test_default_room_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNITYLAB_ROOM", str(tmp_path / "shared"))
    assert room.default_room() == tmp_path / "shared"
    monkeypatch.delenv("COMMUNITYLAB_ROOM")
    monkeypatch.setenv("COMMUNITYLAB_PROGRESS_DIR", str(tmp_path / "mine"))
    assert room.default_room() == tmp_path / "mine" / "capstone"


def _submit_many(folder: str, process: int, count: int) -> None:
    for i in range(count):
        room.submit(folder, f"team {process}", plan.make_plan({"moderators": i}))


def test_concurrent_submits_from_several_processes_lose_nothing(tmp_path):
    context = multiprocessing.get_context("spawn")  # fresh interpreters, as separate learners' kernels are
    workers = [context.Process(target=_submit_many, args=(str(tmp_path), p, 5)) for p in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    submissions, warnings = room.load(tmp_path)
    assert warnings == [] and len(submissions) == 40
    assert sorted((s.team, s.params.moderators) for s in submissions) == sorted(
        (f"team {p}", i) for p in range(8) for i in range(5)
    )
    assert len(room.latest(submissions)) == 8
