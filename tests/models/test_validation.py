"""Every model's parameters reject out-of-range values with a message naming field, value, range and unit.

One property test for all models in the registry, so a new model is covered the day it is added.
"""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from communitylab.models import available_models, get_model


def _out_of_range(spec):
    """Values a slider can never reach: below, above, NaN and infinity (whole numbers for integer fields)."""
    below = st.floats(spec.lo - 1e6, spec.lo, exclude_max=True, allow_nan=False)
    above = st.floats(spec.hi, spec.hi + 1e6, exclude_min=True, allow_nan=False)
    return st.one_of(below, above, st.just(float("nan")), st.just(float("inf")), st.just(float("-inf")))


@pytest.mark.parametrize("model_name", available_models())
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_out_of_range_values_name_field_value_range_and_unit(model_name, data):
    params = get_model(model_name).Params
    numeric = sorted(name for name, spec in params.specs().items() if not spec.boolean)
    name = data.draw(st.sampled_from(numeric), label="field")
    spec = params.specs()[name]
    value = data.draw(_out_of_range(spec), label="value")
    if spec.integer and math.isfinite(value):
        # a fraction inside the range is rejected for another reason ("whole number"); keep to range errors
        value = float(math.floor(value)) if value < spec.lo else float(math.ceil(value))
        assume(not spec.lo <= value <= spec.hi)
    with pytest.raises(ValueError) as error:
        params(**{name: value})
    message = str(error.value)
    assert f"{model_name}.{name}" in message
    assert repr(value) in message
    assert f"[{spec.lo:g}, {spec.hi:g}]" in message
    assert spec.unit in message
