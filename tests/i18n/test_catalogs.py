"""Message catalogs: both languages complete, every key a widget asks for exists."""

import importlib
import importlib.util
import string

import pytest

from communitylab import i18n
from communitylab.labs._base import INFO_SECTIONS
from communitylab.models import MODELS, available_models


def test_both_languages_have_the_same_keys():
    english, chinese = set(i18n.catalog("en")), set(i18n.catalog("zh_CN"))
    assert sorted(english - chinese) == [], "missing in zh_CN"
    assert sorted(chinese - english) == [], "missing in en"


def test_placeholders_match_between_languages():
    english, chinese = i18n.catalog("en"), i18n.catalog("zh_CN")
    fields = lambda text: {name for _, name, _, _ in string.Formatter().parse(text) if name}  # noqa: E731
    mismatched = [key for key in english if key in chinese and fields(english[key]) != fields(chinese[key])]
    assert mismatched == []


def test_no_empty_messages():
    for lang in i18n.LANGS:
        assert [k for k, v in i18n.catalog(lang).items() if not str(v).strip()] == []


@pytest.mark.parametrize("name", available_models())
def test_every_model_has_labels_help_groups_and_its_labs_info(name):
    module = importlib.import_module(MODELS[name])
    params = module.Params
    required = [f"{name}.title"]
    for field, spec in params.specs().items():
        required += [params.label_key(field), params.help_key(field), f"{name}.group.{spec.group}"]
        if spec.unit:
            required.append(f"common.unit.{spec.unit}")
    if importlib.util.find_spec(f"communitylab.labs.{name}") is not None:  # the info panel is a lab's
        required += [f"{name}.info.{section}" for section in INFO_SECTIONS]
    for lang in i18n.LANGS:
        missing = [key for key in required if not i18n.has(key, lang)]
        assert missing == [], f"{lang} lacks {missing[:10]}"


def test_language_choice_and_fallback(monkeypatch):
    monkeypatch.setenv("COMMUNITYLAB_LANG", "zh-CN")
    i18n.set_lang(None)
    assert i18n.get_lang() == "zh_CN"
    assert i18n.t("common.reset") == "恢复默认值"
    i18n.set_lang("en")
    assert i18n.t("common.reset") == "Reset to defaults"
    with pytest.raises(ValueError, match="unsupported language"):
        i18n.set_lang("fr")
    with pytest.warns(RuntimeWarning, match="missing message"):
        assert i18n.t("no.such.key") == "no.such.key"
    i18n.set_lang(None)


def test_voila_query_string_chooses_language(monkeypatch):
    monkeypatch.delenv("COMMUNITYLAB_LANG", raising=False)
    monkeypatch.setenv("QUERY_STRING", "lang=zh_CN&present=1")
    i18n.set_lang(None)
    assert i18n.get_lang() == "zh_CN"
