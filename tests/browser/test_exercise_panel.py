"""An exercise panel in Voila, in Chromium: a wrong answer gets its specific message, hints come
in order and then end, the solution stays locked until earned, nothing leaves 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from voila_browser import ROOT, console_errors, offsite_requests, screenshot, write_code_notebook

from communitylab.exercises.m01 import EXERCISES
from communitylab.i18n import catalog

PANEL_DIR = ROOT / "test-artifacts" / "exercise-panel"
FEEDBACK = ".cl-exercise-feedback"
IIA = EXERCISES[0]  # value answer; reveal_after = 2


def _panel_notebook(lang: str) -> str:
    """A one-panel Voila page for exercise m01.q1 (written under test-artifacts/, which git ignores)."""
    cells = [
        "import os, tempfile\n"
        "os.environ['COMMUNITYLAB_PROGRESS_DIR'] = tempfile.mkdtemp(prefix='cl-progress-')  # keep the checks private\n"
        "from communitylab.i18n import set_lang\n"
        f"set_lang('{lang}')\n"
        "from communitylab.exercises.m01 import q1",
        "q1.panel()",
    ]
    return write_code_notebook(PANEL_DIR / f"panel_{lang}.ipynb", cells)


def _feedback_shows(page, text: str) -> None:
    page.wait_for_function(
        "([selector, text]) => { const f = document.querySelector(selector); return f && f.innerText.includes(text); }",
        arg=[FEEDBACK, text],
        timeout=15_000,
    )


def _plain(key: str, lang: str) -> str:
    """A catalog message as the browser shows it (backticks become <code>, so compare the text inside)."""
    return catalog(lang)[key].replace("`", "")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_exercise_panel_check_hint_and_earned_solution(page, voila_url, lang):
    path = _panel_notebook(lang)
    page.goto(f"{voila_url}/voila/render/{path}", timeout=90_000)
    page.wait_for_selector(".cl-exercise-panel", timeout=90_000)
    messages = catalog(lang)
    assert messages[IIA.title] in page.inner_text(".cl-exercise-panel")
    check = page.locator(".cl-exercise-check")
    hint = page.locator(".cl-exercise-hint")
    solution = page.locator(".cl-exercise-solution")
    answer = page.locator(".cl-exercise-answer input")

    # Locked before any attempt
    solution.click()
    _feedback_shows(page, messages["exercises.solution.locked_heading"])

    # A known wrong answer gets its own message
    answer.fill("2")
    check.click()
    _feedback_shows(page, _plain("ex01.q1.wrong.grows", lang))
    assert "cl-incorrect" in page.locator(FEEDBACK).inner_html()
    feedback_text = page.inner_text(FEEDBACK)
    assert "0.5" not in feedback_text and "0.50" not in feedback_text  # the expected value is never shown
    screenshot(page, f"exercise-panel-{lang}-wrong", selector=".cl-exercise-panel")

    # Hints in order, then a closing message
    for key in IIA.hints:
        hint.click()
        _feedback_shows(page, _plain(key, lang))
    hint.click()
    _feedback_shows(page, messages["exercises.hint.none_left"])

    # One attempt is not enough to earn the solution
    solution.click()
    _feedback_shows(page, messages["exercises.solution.locked_heading"])
    assert "share_vs_groups" not in page.inner_text(FEEDBACK)

    # A second, different wrong answer: its own message, and the solution opens
    answer.fill("1.0")
    check.click()
    _feedback_shows(page, _plain("ex01.q1.wrong.unchanged", lang))
    solution.click()
    _feedback_shows(page, "share_vs_groups")
    assert "cl-solution" in page.locator(FEEDBACK).inner_html()
    screenshot(page, f"exercise-panel-{lang}", selector=".cl-exercise-panel")

    answer.fill("0.5")
    check.click()
    _feedback_shows(page, messages["exercises.heading.correct"])

    assert offsite_requests(page) == []
    assert console_errors(page) == []


def _exercise_notebook_copy(edition: str) -> str:
    """The committed exercise notebook of module 01, with a first cell that keeps progress records private."""
    source = ROOT / "exercises" / edition / "01_value_positioning_exercises.ipynb"
    notebook = json.loads(source.read_text(encoding="utf-8"))
    notebook["cells"].insert(
        0,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "private-progress",
            "metadata": {},
            "outputs": [],
            "source": "import os, tempfile\nos.environ['COMMUNITYLAB_PROGRESS_DIR'] = tempfile.mkdtemp(prefix='cl-progress-')",
        },
    )
    folder = PANEL_DIR / edition  # the folder name (en/zh) chooses the language, as for the real notebook
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / source.name
    path.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    return path.relative_to(ROOT).as_posix()


def test_exercise_notebook_in_voila_turns_checks_into_panels(page, voila_url):
    """Voila strips the code, so each `q.check()` becomes a panel; a target gets inputs for its parameters."""
    path = _exercise_notebook_copy("zh")
    page.goto(f"{voila_url}/voila/render/{path}", timeout=90_000)
    page.wait_for_function("() => document.querySelectorAll('.cl-exercise-panel').length === 6", timeout=90_000)
    messages = catalog("zh_CN")
    panels = page.locator(".cl-exercise-panel")
    assert messages["ex01.q5.title"] not in panels.nth(4).inner_text()  # the markdown above already states the task
    assert panels.nth(4).locator(".cl-exercise-param-niche_width").count() == 1
    assert "JupyterLab" in panels.nth(1).inner_text()  # a function answer needs code

    target = panels.nth(4)
    target.locator(".cl-exercise-param-niche_width input").fill("0.10")
    target.locator(".cl-exercise-param-posts_per_day input").fill("40")
    target.locator(".cl-exercise-check").click()
    target.locator(".cl-exercise-feedback .cl-incorrect").wait_for(timeout=15_000)
    assert _plain("ex01.q5.wrong.post_more", "zh_CN") in target.locator(".cl-exercise-feedback").inner_text()
    target.locator(".cl-exercise-param-posts_per_day input").fill("3")
    target.locator(".cl-exercise-check").click()
    target.locator(".cl-exercise-feedback .cl-correct").wait_for(timeout=15_000)
    assert messages["ex01.goal.read_share"] in target.locator(".cl-exercise-feedback").inner_text()
    screenshot(page, "exercise-notebook-zh-target", selector=".cl-exercise-panel >> nth=4")
    assert offsite_requests(page) == []
    assert console_errors(page) == []
