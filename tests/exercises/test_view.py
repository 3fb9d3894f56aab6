"""The learner-facing side: feedback rendering, namespace lookup, the Voila panel, progress records."""

from __future__ import annotations

import sys

import pytest

from communitylab.exercises import ____
from communitylab.exercises.m01 import EXERCISES
from communitylab.exercises.progress import read_records
from communitylab.exercises.view import ExerciseView, Feedback
from communitylab.i18n import catalog, set_lang

IIA = EXERCISES[0]  # value answer, known wrong 2.0 / 1.0 / 0.25
FAIR = EXERCISES[1]  # function answer


def test_check_reads_the_answer_from_main_when_no_ipython(monkeypatch, capsys):
    view = ExerciseView(IIA)
    monkeypatch.setattr(sys.modules["__main__"], "iia_ratio", 2.0, raising=False)
    view.check()
    printed = capsys.readouterr().out
    assert catalog("en")["ex01.q1.wrong.grows"] in printed
    monkeypatch.setattr(sys.modules["__main__"], "iia_ratio", 0.5)
    view.check()
    assert "✔" in capsys.readouterr().out and view.solved


def test_undefined_name_is_not_attempted(monkeypatch):
    monkeypatch.delattr(sys.modules["__main__"], "iia_ratio", raising=False)
    view = ExerciseView(IIA)
    outcome = view.evaluate()
    assert outcome.status == "not_attempted" and view.attempts == 0


def test_feedback_html_is_coloured_and_escaped():
    html = Feedback("incorrect", "Not yet.", "use `a < b`", ("line <1>",)).html()
    assert "cl-incorrect" in html and "#fdecea" in html
    assert "<code>a &lt; b</code>" in html and "line &lt;1&gt;" in html
    assert Feedback("correct", "Correct.", "ok").html() != Feedback("incorrect", "Correct.", "ok").html()


def test_messages_follow_the_language():
    view = ExerciseView(IIA, record=False)
    set_lang("zh_CN")
    assert catalog("zh_CN")["ex01.q1.wrong.grows"] in view.check_feedback(2.0).text()
    set_lang("en")
    assert catalog("en")["ex01.q1.wrong.grows"] in view.check_feedback(2.0).text()


def test_every_check_hint_and_solution_is_recorded(private_progress):
    view = ExerciseView(IIA)
    view.evaluate(____)
    view.evaluate(2.0)
    view.hint_feedback()
    view.evaluate(0.5)
    view.solution_feedback()
    records, skipped = read_records(private_progress)
    assert not skipped
    assert [(r["event"], r.get("outcome")) for r in records] == [
        ("check", "not_attempted"),
        ("check", "incorrect"),
        ("hint", None),
        ("check", "correct"),
        ("solution", None),
    ]
    assert records[1]["wrong"] == "grows" and records[1]["answer"] == "2"
    assert all(r["learner"] == "tester" and r["exercise"] == "m01.q1" for r in records)


def test_assert_check_passed():
    view = ExerciseView(FAIR, record=False)
    view.assert_check_passed(lambda groups: 1 / (groups + 1))
    with pytest.raises(AssertionError, match=r"m01\.q2"):
        view.assert_check_passed(lambda groups: 1 / groups)


def shown(key: str) -> str:
    """A catalog message as the feedback HTML renders it."""
    from communitylab.exercises.feedback import inline as _inline

    return _inline(catalog("en")[key])


def test_panel_buttons_show_the_same_messages():
    import ipywidgets as W

    view = ExerciseView(IIA, record=False)
    box = view.panel()
    assert isinstance(box, W.VBox) and "cl-exercise-panel" in box._dom_classes
    html_widgets = [w for w in box.children if isinstance(w, W.HTML)]
    feedback = html_widgets[-1]
    row = [w for w in box.children if isinstance(w, W.HBox)][0]
    answer, check, hint, solution = row.children
    assert isinstance(answer, W.Text)

    solution.click()
    assert "cl-locked" in feedback.value
    answer.value = "2"
    check.click()
    assert shown("ex01.q1.wrong.grows") in feedback.value and "cl-incorrect" in feedback.value
    hint.click()
    assert shown("ex01.q1.hint.1") in feedback.value
    hint.click()
    assert shown("ex01.q1.hint.2") in feedback.value
    hint.click()
    assert shown("exercises.hint.none_left") in feedback.value
    answer.value = "1.0"
    check.click()
    assert shown("ex01.q1.wrong.unchanged") in feedback.value
    assert solution.description == catalog("en")["exercises.panel.solution"]
    solution.click()
    assert "cl-solution" in feedback.value and "share_vs_groups" in feedback.value
    answer.value = "0.5"
    check.click()
    assert "cl-correct" in feedback.value


def test_panel_takes_target_answers_from_a_lab_like_source():
    from communitylab.exercises.m01 import EXERCISES as ALL
    from communitylab.models import attention

    class Lab:
        params = attention.Params(niche_width=0.10, posts_per_day=3)

    view = ExerciseView(ALL[4], record=False)
    box = view.panel(source=Lab())
    row = [w for w in box.children if hasattr(w, "children") and len(w.children) == 3][0]
    row.children[0].click()
    assert "cl-correct" in box.children[-1].value
    set_lang("zh_CN")  # the panel relabels itself
    assert row.children[0].description == catalog("zh_CN")["exercises.panel.check"]


def test_recording_can_be_switched_off(private_progress, monkeypatch):
    monkeypatch.setenv("COMMUNITYLAB_PROGRESS", "off")
    ExerciseView(IIA).evaluate(2.0)
    assert read_records(private_progress) == ([], [])


def test_a_lab_is_a_valid_answer_to_its_target():
    """In Voila the learner moves a lab's sliders; the panel checks the lab's current parameters."""
    from communitylab.exercises.m01 import EXERCISES as ALL
    from communitylab.labs.attention import AttentionLab

    lab = AttentionLab()
    view = ExerciseView(ALL[4], record=False)  # focus_plan: niche width and posts per day
    box = view.panel(source=lab)
    check = [w for w in box.children if hasattr(w, "children") and len(w.children) == 3][0].children[0]
    check.click()
    assert "cl-incorrect" in box.children[-1].value  # the lab starts at the defaults, which miss the goal
    lab.set(niche_width=0.10, posts_per_day=3)
    check.click()
    assert "cl-correct" in box.children[-1].value
    lab.set(members=5000)  # a parameter the task does not let the learner change
    assert view.evaluate(lab).key == "exercises.target.locked"


def test_target_panel_without_a_lab_has_one_input_per_chosen_parameter():
    import ipywidgets as W

    from communitylab.exercises.m03 import EXERCISES as M03

    view = ExerciseView(M03[5], record=False)  # small group: checkin, checkin_share, moderators, events
    box = view.panel()
    form = [w for w in box.children if isinstance(w, W.GridBox)][0]
    inputs = {c._dom_classes[0].removeprefix("cl-exercise-param-"): c for c in form.children}
    assert list(inputs) == list(M03[5].check.choose)
    assert isinstance(inputs["checkin"], W.Checkbox) and isinstance(inputs["moderators"], W.BoundedIntText)
    assert inputs["moderators"].max == 50  # the model's own range
    check = [w for w in box.children if isinstance(w, W.HBox)][0].children[0]
    check.click()
    assert "cl-incorrect" in box.children[-1].value
    inputs["checkin"].value, inputs["moderators"].value = True, 3
    check.click()
    assert "cl-correct" in box.children[-1].value


def test_check_shows_the_panel_in_voila(monkeypatch):
    import IPython.display
    import ipywidgets as W

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects, **kw: shown.extend(objects))
    monkeypatch.setenv("VOILA_KERNEL_ID", "test")
    ExerciseView(FAIR, record=False).check()
    (panel,) = shown
    assert isinstance(panel, W.VBox) and "cl-exercise-panel" in panel._dom_classes
    assert any("JupyterLab" in getattr(w, "value", "") for w in panel.children)  # code answers need JupyterLab


@pytest.fixture
def unwritable(tmp_path, monkeypatch):
    """A progress folder that cannot be created (a file stands in its way), and a fresh 'warned' state."""
    import communitylab.exercises.view as view_module

    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("COMMUNITYLAB_PROGRESS_DIR", str(blocker / "progress"))
    monkeypatch.setattr(view_module, "_WARNED_UNWRITABLE", False)
    return blocker / "progress"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_unwritable_progress_folder_warns_once_in_the_learners_language(unwritable, lang, capsys, caplog):
    set_lang(lang)
    first, second = ExerciseView(EXERCISES[0]), ExerciseView(EXERCISES[1])
    first.check(0.5)  # outside IPython the feedback is printed
    out = capsys.readouterr().out
    assert catalog(lang)["exercises.progress.unwritable_heading"] in out
    assert str(unwritable) in out
    assert "cannot be written" in caplog.text  # and the log says it too
    first.check(0.5)
    second.hint()
    assert catalog(lang)["exercises.progress.unwritable_heading"] not in capsys.readouterr().out  # once, not per check


def test_panel_shows_the_unwritable_warning_under_the_feedback(unwritable):
    view = ExerciseView(EXERCISES[0])
    from communitylab.exercises.panel import Panel

    panel = Panel(view, source=lambda: 0.5)
    panel.handle_check_click(None)
    assert panel.feedback.value.count("cl-feedback") == 2 and "cl-error" in panel.feedback.value
    panel.handle_check_click(None)
    assert panel.feedback.value.count("cl-feedback") == 1
