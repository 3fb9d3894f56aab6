"""Predict, then run: the question every lab 01-06 asks, locked on Commit and compared with the run now shown."""

import math

import pytest

from communitylab import i18n
from communitylab.labs._predict import Choice, Number
from communitylab.labs.attention import AttentionLab
from communitylab.labs.brand import BrandLab
from communitylab.labs.migration import MigrationLab
from communitylab.labs.monetization import MonetizationLab
from communitylab.labs.participation import ParticipationLab
from communitylab.labs.service_loop import ServiceLoopLab

LABS = (AttentionLab, ServiceLoopLab, ParticipationLab, MonetizationLab, BrandLab, MigrationLab)


@pytest.fixture(autouse=True)
def english():
    i18n.set_lang("en")
    yield
    i18n.set_lang(None)


@pytest.mark.parametrize("lab_class", LABS, ids=lambda c: c.__name__)
def test_every_lab_declares_one_question_with_all_its_texts_in_both_languages(lab_class):
    question, model = lab_class.prediction, lab_class.model.Params.model
    assert isinstance(question, Choice | Number)
    assert question.key in {monitor.key for monitor in lab_class.monitors}  # what it asks is on the page
    if isinstance(question, Choice):
        assert 3 <= question.size <= 4
        needed = {"question", "why", "detail", *(f"option.{i}" for i in range(question.size))}
    else:
        needed = {"question", "why", "unit", "answer"}
    for lang in i18n.LANGS:
        keys = {
            key.removeprefix(f"predict.{model}.") for key in i18n.catalog(lang) if key.startswith(f"predict.{model}.")
        }
        assert keys == needed, lang


def test_choice_bins_values_and_puts_never_last():
    quiet = Choice("quiet_day", bounds=(28, 90), never=True)
    assert [quiet.option_of(day) for day in (1, 28, 29, 90, 300, math.nan)] == [0, 0, 1, 1, 2, 3]
    share = Choice("read_share_pct", bounds=(0.5, 1.0, 1.5))
    assert [share.option_of(v) for v in (0.2, 0.56, 1.2, 2.2)] == [0, 1, 2, 3]


def test_number_reads_what_a_learner_types_in_either_language():
    members = Number("members", lo=0, hi=10_000)
    assert members.parse("1,500") == 1500.0
    assert members.parse("３.４") == 3.4  # full-width, from a Chinese input method
    assert members.parse("about 40 %") == 40.0
    assert members.parse("lots") is None and members.parse("20000") is None
    assert members.matches(150, 179) and not members.matches(100, 179)


def test_commit_locks_the_prediction():
    lab = AttentionLab()
    panel = lab.prediction_panel
    assert not panel.locked and panel.comparison == ""
    assert panel._commit_button.disabled  # nothing chosen yet
    panel._input.value = 1
    assert not panel._commit_button.disabled
    panel._commit_button.click()
    assert panel.locked and panel.answer == 1
    assert panel._input.disabled and panel._form.layout.display == "none"
    assert panel.comparison.startswith("You predicted: 0.5 to 1 % · The model: 0.5 to 1 % (0.56 % on the last day)")
    with pytest.raises(RuntimeError):
        panel.commit(3)
    assert panel.answer == 1


def test_the_comparison_follows_the_sliders():
    lab = AttentionLab()
    panel = lab.prediction_panel
    panel.commit(1)
    assert "holds for the run shown" in panel.comparison
    lab._controls["niche_width"].value = 0.25  # a generic group: read far less
    assert "The model: less than 0.5 %" in panel.comparison
    assert "Why do your prediction and the model differ?" in panel.comparison
    assert panel.comparison.startswith("You predicted: 0.5 to 1 %")  # the prediction itself stays


def test_a_number_prediction_is_typed_checked_and_compared_with_its_unit():
    lab = MigrationLab()
    panel = lab.prediction_panel
    panel._input.value = "abc"
    assert panel._commit_button.disabled and "Type a number" in panel._error.value
    panel._input.value = "0.6"
    assert not panel._commit_button.disabled and panel._error.value == ""
    panel._commit_button.click()
    assert panel.comparison.startswith("You predicted: 0.6 % · The model: 3.4 %")
    lab.apply_preset("mini_program")
    assert "The model: 4.7 %" in panel.comparison


def test_a_never_outcome_reads_as_the_never_option():
    lab = ParticipationLab()
    panel = lab.prediction_panel
    panel.commit(3)
    assert "The model: between four weeks and three months (day 57)" in panel.comparison
    lab.apply_preset("checkin_ritual")
    assert panel.comparison.startswith("You predicted: never: it stays lively · The model: never: it stays lively")


def test_a_language_switch_relabels_question_options_and_comparison():
    lab = AttentionLab()
    panel = lab.prediction_panel
    panel.commit(0)
    i18n.set_lang("zh_CN")
    assert "最后一天" in panel._question.value and "先预测" in panel._question.value
    assert panel.comparison.startswith("你的预测：不到 0.5%　·　模型结果：0.5% 到 1%（最后一天为 0.56 %）")
    assert panel._input.options[0][0] == "不到 0.5%" and panel._input.value == 0
    i18n.set_lang("en")
    assert panel.comparison.startswith("You predicted: less than 0.5 %")


def test_an_uncommitted_choice_survives_a_language_switch():
    lab = BrandLab()
    panel = lab.prediction_panel
    panel._input.value = 2
    i18n.set_lang("zh_CN")
    assert panel._input.value == 2 and not panel.locked and not panel._commit_button.disabled
    assert panel._commit_button.description == "提交预测"
