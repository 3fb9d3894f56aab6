"""A capstone plan: levers from the model, costs within a budget, validation that names the lever."""

from __future__ import annotations

import pytest

from communitylab.capstone import plan
from communitylab.models import community


def test_levers_cover_every_pillar_in_lesson_order():
    assert [lever.lesson for lever in plan.LEVERS] == sorted(lever.lesson for lever in plan.LEVERS)
    assert {lever.lesson for lever in plan.LEVERS} == {"01", "02", "03", "04", "05", "06"}
    names = {lever.name for lever in plan.LEVERS}
    assert {"followers", "reach", "app", "mini_program"} <= names  # the brand and the platform are in the plan
    assert names == set(community.Params.specs()) - {"days"}
    specs = community.Params.specs()
    for lever in plan.LEVERS:
        assert (lever.lo, lever.hi, lever.step, lever.unit) == (
            specs[lever.name].lo,
            specs[lever.name].hi,
            specs[lever.name].step,
            specs[lever.name].unit,
        )
        assert set(plan.COSTS) <= names


def test_default_plan_fits_the_budget():
    cost = plan.budget(plan.make_plan({}))
    assert cost.fits and 0 < cost.hours_per_week < plan.HOURS_PER_WEEK and cost.yuan_per_month < plan.YUAN_PER_MONTH
    assert sum(h for h, _ in cost.lines.values()) == pytest.approx(cost.hours_per_week)


@pytest.mark.parametrize(
    ("lever", "value"), [("posts_per_day", 900), ("reach", 0), ("group_members", 501), ("niche_width", "wide")]
)
def test_out_of_range_names_the_lever_and_its_range(lever, value):
    with pytest.raises(plan.PlanError) as error:
        plan.make_plan({lever: value})
    spec = community.Params.specs()[lever]
    assert error.value.lever == lever
    assert lever in str(error.value) and f"[{spec.lo:g}, {spec.hi:g}]" in str(error.value)


def test_unknown_lever_and_bad_flag_are_rejected():
    with pytest.raises(plan.PlanError, match="audience"):
        plan.make_plan({"audience": 10})
    with pytest.raises(plan.PlanError, match="checkin"):
        plan.make_plan({"checkin": "maybe"})
    assert plan.make_plan({"checkin": "on", "moderators": "3"}) == community.Params(checkin=True, moderators=3)


def test_over_budget_names_the_budget_line():
    with pytest.raises(plan.PlanError, match="hours a week") as error:
        plan.make_plan({"posts_per_day": 200})
    assert error.value.lever is None and "30" in str(error.value)
    with pytest.raises(plan.PlanError, match="a month"):
        plan.make_plan({"moderators": 9, "app": True, "reach": 0.5})


def test_errors_speak_chinese():
    with pytest.raises(plan.PlanError, match="超出允许范围"):
        plan.make_plan({"price": 0}, lang="zh_CN")
    with pytest.raises(plan.PlanError, match="课程假设"):
        plan.make_plan({"posts_per_day": 200}, lang="zh_CN")
