"""The parameter framework every model uses: validation messages, metadata, parsing."""

from dataclasses import dataclass
from typing import ClassVar

import pytest

from communitylab.models._params import ModelParams, flag, param, run_days


@dataclass(frozen=True)
class Toy(ModelParams):
    model: ClassVar[str] = "toy"
    rate: float = param(0.5, unit="1/day", lo=0, hi=1)
    size: int = param(10, unit="members", lo=1, hi=100, integer=True)
    ritual: bool = flag(False)


def test_defaults_are_valid_and_listed_in_order():
    assert Toy().to_dict() == {"rate": 0.5, "size": 10, "ritual": False}
    assert list(Toy.specs()) == ["rate", "size", "ritual"]


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"rate": 1.5}, "toy.rate = 1.5 is outside the allowed range [0, 1] 1/day"),
        ({"rate": float("nan")}, "toy.rate = nan is outside the allowed range"),
        ({"rate": "fast"}, "toy.rate = 'fast' is not a number"),
        ({"size": 2.5}, "toy.size = 2.5 must be a whole number"),
        ({"size": 0}, "toy.size = 0 is outside the allowed range [1, 100] members"),
        ({"ritual": 3}, "toy.ritual = 3 must be on or off"),
        ({"rate": True}, "toy.rate = True is outside the allowed range"),
    ],
)
def test_invalid_values_name_field_value_and_range(changes, fragment):
    with pytest.raises(ValueError) as error:
        Toy(**changes)
    assert fragment in str(error.value)


def test_integers_are_stored_as_int():
    assert Toy(size=20.0).size == 20 and isinstance(Toy(size=20.0).size, int)


def test_replace_validates_and_rejects_unknown_names():
    assert Toy().replace(rate=0.2).rate == 0.2
    with pytest.raises(ValueError, match="no parameter 'speed'"):
        Toy().replace(speed=1)
    with pytest.raises(ValueError, match="outside the allowed range"):
        Toy().replace(rate=2)


def test_parse_reads_command_line_text():
    assert Toy.parse("rate", "0.25") == 0.25
    assert Toy.parse("ritual", "on") is True
    with pytest.raises(ValueError, match="no parameter"):
        Toy.parse("speed", "1")
    with pytest.raises(ValueError, match="must be on or off"):
        Toy.parse("ritual", "maybe")


def test_a_default_outside_its_range_is_a_programming_error():
    with pytest.raises(ValueError, match="outside its own range"):
        param(5, unit="", lo=0, hi=1)


def test_spec_names_the_known_parameters_when_asked_for_an_unknown_one():
    assert Toy.spec("rate").unit == "1/day"
    with pytest.raises(ValueError, match="toy has no parameter 'speed'; known: rate, size, ritual"):
        Toy.spec("speed")


def test_check_values_reports_the_first_value_outside_the_range_like_one_value():
    Toy.check_values("rate", [0.0, 0.5, 1.0])
    with pytest.raises(ValueError, match=r"toy\.rate = 1\.5 is outside the allowed range \[0, 1\] 1/day"):
        Toy.check_values("rate", [0.2, 1.5, -1.0])
    with pytest.raises(ValueError, match=r"toy\.rate = nan is outside"):
        Toy.check_values("rate", [float("nan")])


def test_clip_moves_a_value_to_the_nearest_end_of_its_range():
    assert Toy.clip("rate", 1.7) == 1.0
    assert Toy.clip("rate", -3) == 0.0
    assert Toy.clip("rate", 0.25) == 0.25


def test_run_days_is_a_year_on_a_five_day_slider():
    @dataclass(frozen=True)
    class Run(ModelParams):
        model: ClassVar[str] = "run"
        days: int = run_days(hi=1825)

    spec = Run.spec("days")
    assert Run().days == 365 and (spec.lo, spec.hi, spec.step, spec.group) == (30, 1825, 5, "simulation")
    assert spec.integer and spec.unit == "days"
