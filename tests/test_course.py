"""Starting a course notebook: the language it picks, and the course map."""

import pytest

from communitylab import course, i18n


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    i18n.set_lang(None)


def test_a_lesson_speaks_its_folders_language(tmp_path, monkeypatch):
    (tmp_path / "zh").mkdir()
    monkeypatch.chdir(tmp_path / "zh")
    monkeypatch.setenv("QUERY_STRING", "lang=en")  # a stray ?lang= does not split narrative from widgets
    monkeypatch.setenv("COMMUNITYLAB_LANG", "en")
    assert course.start() is None and i18n.get_lang() == "zh_CN"


def test_the_landing_page_follows_the_url_then_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "lang=zh_CN")
    course.start()
    assert i18n.get_lang() == "zh_CN"
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.setenv("COMMUNITYLAB_LANG", "zh")
    course.start()
    assert i18n.get_lang() == "zh_CN"
    monkeypatch.delenv("COMMUNITYLAB_LANG")
    course.start()
    assert i18n.get_lang() == "en"


def test_an_explicit_language_wins(tmp_path, monkeypatch):
    (tmp_path / "zh").mkdir()
    monkeypatch.chdir(tmp_path / "zh")
    course.start("en")
    assert i18n.get_lang() == "en"


def test_every_module_has_a_title_and_summary_in_both_languages():
    for module in course.MODULES:
        for lang in i18n.LANGS:
            assert module.title(lang) and module.summary(lang)
    assert [m.number for m in course.MODULES] == [f"{n:02d}" for n in range(9)]
