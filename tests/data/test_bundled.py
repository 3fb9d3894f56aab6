"""Finding the bundled datasets from the course folder, not from where the package is installed."""

from pathlib import Path

from communitylab.data import bundled


def make_bundle(folder: Path) -> Path:
    dataset = folder / "datasets" / "tiny-group"
    dataset.mkdir(parents=True)
    (dataset / "DATACARD.md").write_text("# tiny")
    (dataset / "result.json").write_text("{}")
    return folder / "datasets"


def test_the_override_wins_then_the_course_root(tmp_path, monkeypatch):
    course, other = make_bundle(tmp_path / "course"), make_bundle(tmp_path / "other")
    monkeypatch.setenv("COMMUNITYLAB_ROOT", str(course.parent))
    monkeypatch.delenv("COMMUNITYLAB_DATASETS", raising=False)
    assert bundled.datasets_dir() == course
    assert list(bundled.bundled_files()) == ["tiny-group/result.json"]
    monkeypatch.setenv("COMMUNITYLAB_DATASETS", str(other))
    assert bundled.datasets_dir() == other


def test_a_lesson_folder_finds_its_courses_datasets(tmp_path, monkeypatch):
    datasets = make_bundle(tmp_path / "course")
    lesson = tmp_path / "course" / "notebooks" / "en"
    lesson.mkdir(parents=True)
    monkeypatch.chdir(lesson)
    monkeypatch.delenv("COMMUNITYLAB_DATASETS", raising=False)
    monkeypatch.delenv("COMMUNITYLAB_ROOT", raising=False)
    assert bundled.datasets_dir() == datasets
    assert bundled.bundled_files()["tiny-group/result.json"] == datasets / "tiny-group" / "result.json"
