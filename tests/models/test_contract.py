"""Every model in the registry has the shared shape: metadata, simulate, summary, series, sweep.

One parametrised test per rule, so a new model is checked the day it is added to ``MODELS``.
"""

import dataclasses
import math
import re

import numpy as np
import pytest

from communitylab.i18n import catalog
from communitylab.models import MODELS, get_model
from communitylab.models._model import DailyResult, Evidence, Model, ModelResult

#: Small settings per model, so that a run over every model stays fast.
SMALL = {
    "attention": {"members": 200, "days": 40},
    "service_loop": {"days": 60},
    "participation": {"members": 100, "days": 40},
    "monetization": {"days": 60},
    "brand": {"runs": 50},
    "migration": {"members": 500, "days": 40},
    "community": {"days": 90},
}


@pytest.fixture(scope="module", params=list(MODELS))
def model(request):
    return get_model(request.param)


def small(module):
    return module.Params(**SMALL[module.MODEL.name])


def test_every_registered_model_has_small_settings():
    assert set(SMALL) == set(MODELS)


def test_metadata_names_the_model_and_exports_its_contract(model):
    meta = model.MODEL
    assert isinstance(meta, Model)
    assert meta.name in MODELS and MODELS[meta.name] == model.__name__
    assert meta.Params is model.Params and meta.Result is model.Result
    assert issubclass(model.Result, ModelResult)
    assert model.simulate == meta.simulate and model.sweep == meta.sweep


def test_simulate_returns_the_declared_result_with_float_monitors(model):
    result = model.simulate(small(model), seed=3)
    assert type(result) is model.Result
    assert result.params == small(model)
    summary = result.summary()
    assert summary and all(isinstance(key, str) for key in summary)
    assert all(type(value) is float for value in summary.values()), summary


def test_series_are_the_declared_arrays_over_days(model):
    result = model.simulate(small(model), seed=3)
    series = result.series()
    assert tuple(series) == model.Result.SERIES and series
    lengths = {np.asarray(values).shape for values in series.values()}
    assert len(lengths) == 1, lengths  # one x axis for every series
    if isinstance(result, DailyResult):
        assert np.array_equal(result.day, np.arange(result.params.days))
        assert lengths == {(result.params.days,)}


def test_another_models_params_are_refused_by_name(model):
    other = get_model("brand" if model.MODEL.name != "brand" else "attention")
    with pytest.raises(ValueError, match=f"expected {model.MODEL.name} Params, got Params"):
        model.simulate(other.Params())


def test_the_seed_matters_exactly_when_the_model_is_random(model):
    params = small(model)
    first, again, other = (model.simulate(params, seed) for seed in (1, 1, 2))
    same = {key: value for key, value in first.summary().items() if not math.isnan(value)}
    assert same == {key: value for key, value in again.summary().items() if not math.isnan(value)}
    if model.MODEL.deterministic:
        assert other.summary() == first.summary()
    else:
        assert other.summary() != first.summary()


def test_sweep_is_one_row_per_value_and_run(model):
    params = small(model)
    field, spec = next((name, spec) for name, spec in params.specs().items() if not spec.boolean)
    table = model.sweep(params, field, [spec.lo, spec.hi], runs=2, seed=5, progress=False)
    assert list(table.columns[:3]) == [field, "run", "seed"]
    assert len(table) == 4 and list(table[field]) == [spec.lo, spec.lo, spec.hi, spec.hi]
    assert set(table.columns[3:]) == set(model.simulate(params, 0).summary())


def test_sources_and_assumptions_name_real_parameters_or_monitors(model):
    meta = model.MODEL
    result = model.simulate(small(model), 0)
    known = set(model.Params.specs()) | set(result.summary()) | {f.name for f in dataclasses.fields(result)}
    named = {field for item in (*meta.sources, *meta.assumptions) for field in item.fields}
    assert named <= known, sorted(named - known)
    assert meta.assumed_fields() <= known
    assert meta.sources or meta.assumptions  # every model says what it rests on
    for source in meta.sources:
        assert source.citation.strip() and source.used_for.strip() and isinstance(source.evidence, Evidence)
    for assumption in meta.assumptions:
        assert assumption.what.strip()


#: "Authors (year) title ..." -> first author and year.
_CITATION = re.compile(r"^(?P<author>[^,(&]+?)(?:,| &| \().*?\((?P<year>\d{4})\)")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_dated_source_is_credited_in_the_info_panel(model, lang):
    """A published source in the code appears (first author and year) in the lab's credits, in both languages."""
    # platform rules and rules of thumb carry no author and year; a model without dated sources of its own (the
    # capstone's community, which has no lab and credits each pillar's sources in docs/models.md) needs no panel
    dated = [(source, match) for source in model.MODEL.sources if (match := _CITATION.match(source.citation))]
    if not dated:
        return
    credits = catalog(lang)[f"{model.MODEL.name}.info.credits"]
    for source, match in dated:
        assert match["author"].strip() in credits and match["year"] in credits, (source.citation, lang)
