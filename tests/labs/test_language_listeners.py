"""Language listeners end with their subscriber: a closed lab is freed and no longer redraws on a switch."""

import gc
import weakref

import pytest

from communitylab import i18n
from communitylab.labs._base import ModelLab
from communitylab.labs.attention import AttentionLab
from communitylab.labs.dashboard import DashboardLab
from communitylab.labs.landing import CourseMap


@pytest.fixture(autouse=True)
def english():
    i18n.set_lang("en")
    yield
    i18n.set_lang(None)


def test_twenty_dropped_labs_stop_listening_and_are_freed(monkeypatch):
    redrawn = []
    show_result = ModelLab._show_result

    def counting(self, elapsed_ms):
        redrawn.append(id(self))
        show_result(self, elapsed_ms)

    monkeypatch.setattr(ModelLab, "_show_result", counting)
    gc.collect()
    before = i18n.listener_count()
    labs = [AttentionLab(days=30) for _ in range(20)]
    assert i18n.listener_count() == before + 20
    dropped = {id(lab) for lab in labs}
    refs = [weakref.ref(lab) for lab in labs]
    for lab in labs:
        lab.close()  # what a notebook does with a lab it no longer shows; ipywidgets holds widgets until then
    del labs, lab
    gc.collect()
    assert i18n.listener_count() == before
    assert [ref for ref in refs if ref() is not None] == []  # nothing else (charts, observers) keeps a lab
    redrawn.clear()
    kept = AttentionLab(days=30)
    i18n.set_lang("zh_CN")
    assert not dropped & set(redrawn)
    assert redrawn.count(id(kept)) == 2  # built once, redrawn once for the switch
    kept.close()


def test_bound_methods_are_held_weakly_and_other_callables_strongly():
    class Listener:
        def __init__(self):
            self.heard = []

        def hear(self, lang):
            self.heard.append(lang)

    gc.collect()
    before = i18n.listener_count()
    kept, dropped = Listener(), Listener()
    i18n.on_lang_change(kept.hear)
    i18n.on_lang_change(dropped.hear)
    heard = []
    unsubscribe_append = i18n.on_lang_change(heard.append)  # a builtin's bound method: nothing else holds it
    lambdas = []
    unsubscribe_lambda = i18n.on_lang_change(lambda lang: lambdas.append(lang))
    assert i18n.listener_count() == before + 4
    dropped_ref = weakref.ref(dropped)
    del dropped
    gc.collect()
    assert dropped_ref() is None and i18n.listener_count() == before + 3
    i18n.set_lang("zh_CN")
    assert kept.heard == heard == lambdas == ["zh_CN"]
    unsubscribe_append()
    unsubscribe_lambda()
    unsubscribe_append()  # twice is harmless
    i18n.set_lang("en")
    assert heard == lambdas == ["zh_CN"] and kept.heard == ["zh_CN", "en"]
    del kept
    gc.collect()
    assert i18n.listener_count() == before


def test_the_dashboard_and_the_course_map_unsubscribe_on_close(tmp_path):
    gc.collect()
    before = i18n.listener_count()
    widgets = [DashboardLab(), CourseMap(root=tmp_path)]
    assert i18n.listener_count() == before + 2
    refs = [weakref.ref(widget) for widget in widgets]
    for widget in widgets:
        widget.close()
    assert i18n.listener_count() == before
    del widgets, widget
    gc.collect()
    assert [ref for ref in refs if ref() is not None] == []
