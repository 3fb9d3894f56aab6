"""Predict, then run, in Voila and Chromium: commit a prediction in lab 01, see it beside the result, in both languages."""

import pytest
from voila_browser import console_errors, offsite_requests, open_lab, screenshot

LESSON = "notebooks/{folder}/01_value_positioning.ipynb"
NICHE_HANDLE = ".cl-param-niche_width .noUi-handle"
COMPARE = ".cl-predict .cl-predict-compare"


@pytest.mark.parametrize(
    ("folder", "option", "predicted", "model"),
    [("en", "1 to 1.5 %", "You predicted:", "The model:"), ("zh", "1% 到 1.5%", "你的预测：", "模型结果：")],
)
def test_a_committed_prediction_sits_beside_the_result_and_follows_the_slider(
    page, voila_url, folder, option, predicted, model
):
    open_lab(page, voila_url, LESSON.format(folder=folder))
    commit = page.locator(".cl-predict-commit")
    assert commit.is_disabled()  # nothing chosen yet
    page.locator(".cl-predict-input label", has_text=option).click()
    screenshot(page, f"predict-{folder}-asked")
    commit.click()
    page.wait_for_selector(COMPARE, timeout=30_000)
    text = page.inner_text(COMPARE)
    assert predicted in text and model in text and option in text and "0.56 %" in text
    assert page.locator(".cl-predict-input").is_hidden()  # locked: the choice cannot be changed
    assert page.inner_text(".cl-predict-why")

    page.locator(NICHE_HANDLE).press("ArrowRight")
    page.wait_for_function(
        "(before) => document.querySelector('.cl-predict .cl-predict-compare').innerText !== before",
        arg=text,
        timeout=30_000,
    )
    assert option in page.inner_text(COMPARE)  # the prediction stays; the model's value moved

    screenshot(page, f"predict-{folder}")
    assert offsite_requests(page) == []
    assert console_errors(page) == []
