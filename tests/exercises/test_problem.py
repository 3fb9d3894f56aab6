"""The checking logic of :mod:`communitylab.exercises.problem`, on small made-up exercises."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from communitylab.exercises.problem import (
    MISSING,
    Blank,
    CodeError,
    Correct,
    Exercise,
    Frame,
    Function,
    Goal,
    Incorrect,
    Known,
    NotAttempted,
    Target,
    Value,
    ____,
    contains_blank,
)


def make(check, **extra) -> Exercise:
    return Exercise(
        id="t.q1",
        title="ex01.q1.title",
        prompt="ex01.q1.prompt",
        name="answer",
        check=check,
        starter="answer = ____",
        solution="answer = 1",
        **extra,
    )


def test_blank_is_a_singleton_that_survives_pickling():
    assert Blank() is ____
    assert pickle.loads(pickle.dumps(____)) is ____
    assert repr(____) == "____"


@pytest.mark.parametrize("value", [____, [1, ____], {"a": ____}, (____,), {"a": [1, {"b": ____}]}])
def test_contains_blank_finds_nested_blanks(value):
    assert contains_blank(value)


@pytest.mark.parametrize("value", [0, None, "____", [1, 2], {"a": 1}, np.zeros(3)])
def test_contains_blank_is_false_without_the_placeholder(value):
    assert not contains_blank(value)


def test_blank_and_missing_are_not_attempted_not_wrong():
    exercise = make(Value(2.0))
    assert isinstance(exercise.evaluate(____), NotAttempted)
    assert isinstance(exercise.evaluate({"x": ____}), NotAttempted)
    missing = exercise.evaluate(MISSING)
    assert isinstance(missing, NotAttempted) and missing.key == "exercises.outcome.missing_name"


def test_value_tolerance_and_kinds():
    exercise = make(Value(0.5, abs_tol=0.05))
    assert isinstance(exercise.evaluate(0.53), Correct)
    assert isinstance(exercise.evaluate(np.float64(0.47)), Correct)
    assert isinstance(exercise.evaluate(0.56), Incorrect)
    assert exercise.evaluate("half").key == "exercises.value.kind"
    assert exercise.evaluate(True).key == "exercises.value.kind"  # a bool is not a number here


def test_value_lists_strings_and_lazy_expected():
    calls = []

    def expected():
        calls.append(1)
        return [1.0, 2.0]

    exercise = make(Value(expected))
    assert isinstance(exercise.evaluate([1, 2]), Correct)
    assert isinstance(exercise.evaluate(np.array([1.0, 2.0])), Correct)
    assert exercise.evaluate([1, 2, 3]).key == "exercises.value.length"
    assert isinstance(exercise.evaluate([2, 1]), Incorrect)
    assert len(calls) == 1  # computed once
    assert isinstance(make(Value("b")).evaluate(" B "), Correct)


def test_known_wrong_value_gets_its_message_after_the_check_fails():
    exercise = make(Value(0.5, abs_tol=0.05), known_wrong=(Known("double", "ex01.q1.wrong.grows", answer=2.0),))
    outcome = exercise.evaluate(2.01)
    assert outcome.key == "ex01.q1.wrong.grows" and outcome.wrong == "double"
    assert exercise.evaluate(0.9).key == "exercises.value.wrong"


def test_function_cases_errors_and_blank_returns():
    exercise = make(
        Function(lambda x: x * 2, cases=((1,), (3,))),
        known_wrong=(Known("square", "ex01.q2.wrong.percent", answer=lambda x: x**2),),
    )
    assert isinstance(exercise.evaluate(lambda x: 2 * x), Correct)
    wrong = exercise.evaluate(lambda x: x + 1)
    assert wrong.key == "exercises.function.case" and "(3)" in wrong.message()
    assert exercise.evaluate(lambda x: x**2).key == "ex01.q2.wrong.percent"

    def broken(x):
        return x / 0

    error = exercise.evaluate(broken)
    assert isinstance(error, CodeError)
    assert "ZeroDivisionError" in error.message() and "(1)" in error.message()
    assert isinstance(exercise.evaluate(lambda x: ____), NotAttempted)
    assert exercise.evaluate(3).key == "exercises.function.kind"


def test_frame_checks_columns_rows_and_values():
    expected = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    exercise = make(Frame(lambda: expected, columns=("a", "b"), sort_by="a"))
    assert isinstance(exercise.evaluate(expected.iloc[::-1].assign(extra=0)), Correct)
    assert exercise.evaluate(expected[["a"]]).key == "exercises.frame.columns"
    assert exercise.evaluate(expected.iloc[:1]).key == "exercises.frame.rows"
    assert exercise.evaluate(expected.assign(b=[3.0, 5.0])).key == "exercises.frame.values"
    assert exercise.evaluate([1, 2]).key == "exercises.frame.kind"


def test_an_answer_no_check_foresaw_is_reported_not_raised():
    class Weird:
        def __eq__(self, other):
            raise RuntimeError("no comparing me")

    outcome = make(Value(object())).evaluate(Weird())
    assert isinstance(outcome, CodeError) and outcome.key == "exercises.outcome.uncheckable"


TARGET = Target(
    model="attention",
    choose=("posts_per_day",),
    scenario={"days": 60, "members": 500},
    goals=(Goal("ex01.goal.muted", "muted_pct", at_most=45.0, unit="%"),),
)


def test_target_runs_the_model_and_reports_the_gap_without_the_answer():
    exercise = make(
        TARGET, known_wrong=(Known("more", "ex01.q5.wrong.post_more", when=lambda a: a["posts_per_day"] > 20),)
    )
    from communitylab.models import attention

    muted = {
        m: attention.simulate(attention.Params(days=60, members=500, posts_per_day=m)).summary()["muted_pct"]
        for m in (1, 300)
    }
    assert muted[1] <= 45.0 < muted[300]  # the made-up target is reachable and not trivial
    assert isinstance(exercise.evaluate({"posts_per_day": 1}), Correct)
    missed = exercise.evaluate({"posts_per_day": 300})
    assert missed.key == "ex01.q5.wrong.post_more"
    line = missed.details()[0]
    assert f"{muted[300]:.1f}" in line and "45.0" in line  # measured value and goal, no parameter advice


def test_target_accepts_params_and_labs_and_refuses_other_parameters():
    from communitylab.models import attention

    exercise = make(TARGET)
    assert isinstance(exercise.evaluate(attention.Params(days=60, members=500, posts_per_day=1)), Correct)

    class FakeLab:
        params = attention.Params(days=60, members=500, posts_per_day=1)

    assert isinstance(exercise.evaluate(FakeLab()), Correct)
    assert exercise.evaluate(attention.Params(posts_per_day=1)).key == "exercises.target.locked"
    assert exercise.evaluate({"posts_per_day": 1, "members": 600}).key == "exercises.target.locked"
    assert exercise.evaluate({"post_per_day": 1}).key == "exercises.target.unknown"
    invalid = exercise.evaluate({"posts_per_day": -4})
    assert invalid.key == "exercises.target.invalid" and "posts_per_day" in invalid.message()
    assert exercise.evaluate(7).key == "exercises.target.kind"


def test_goal_with_several_seeds_uses_the_worst():
    goal = Goal("ex01.goal.muted", lambda r: r, at_least=1.0)
    assert goal.worst([0.5, 2.0]) == 0.5
    assert not goal.met(float("nan"))
