"""What ``communitylab present`` plans before Voila starts: pools, the cap, memory, the kernels' environment."""

import re

import pytest

from communitylab.serve.plan import LANDING, LESSON_KERNEL_MB, SERVER_MB, ServePlan, lesson_notebooks

REPO_NOTEBOOKS = "notebooks/en/01_value_positioning.ipynb"


@pytest.fixture
def course(tmp_path):
    for path in (LANDING, *lesson_notebooks(["en", "zh_CN"])):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("{}")
    return tmp_path


def test_one_laptop_preheats_one_kernel_per_lesson_and_the_landing_page(course):
    plan = ServePlan(root=course, langs=("en",))
    targets = plan.pool_targets()
    assert targets[LANDING] == 1 and targets[REPO_NOTEBOOKS] == 1
    assert all(size == 1 for size in targets.values()) and len(targets) == 1 + 9
    assert plan.kernel_cap == 10 + 16
    assert ServePlan(root=course, langs=()).pool_targets() == {}


def test_a_room_pools_its_size_for_the_lessons_of_the_day_first(course):
    plan = ServePlan(root=course, langs=("en",), room=20, lessons=("03", "01"))
    targets = plan.pool_targets()
    assert list(targets) == [
        "notebooks/en/01_value_positioning.ipynb",
        "notebooks/en/03_participation_design.ipynb",
        LANDING,
    ]
    assert targets[REPO_NOTEBOOKS] == 20 and targets[LANDING] == 3
    assert plan.kernel_cap == 24
    assert plan.memory_mb() == SERVER_MB + 24 * LESSON_KERNEL_MB <= 5 * 1024
    assert ServePlan(root=course, room=5).kernel_cap == 8
    assert ServePlan(root=course, room=20, max_kernels=12).kernel_cap == 12


def test_notebooks_missing_from_the_course_get_no_pool(tmp_path):
    (tmp_path / "notebooks").mkdir()
    assert ServePlan(root=tmp_path, room=10).pool_targets() == {}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"room": -1}, "room"),
        ({"max_kernels": 0}, "max_kernels"),
        ({"lessons": ("42",)}, "unknown lesson"),
        ({"disconnected_grace_s": 0}, "positive"),
        ({"host": "0.0.0.0"}, "access token"),
        ({"extra_folders": (".git",)}, "extra folders"),
        ({"extra_folders": ("../outside",)}, "extra folders"),
    ],
)
def test_impossible_plans_are_refused_with_a_reason(course, changes, reason):
    with pytest.raises(ValueError, match=reason):
        ServePlan(root=course, **changes)


def test_kernels_learn_the_course_root_and_where_voila_answers(course):
    assert ServePlan(root=course).kernel_env() == {"COMMUNITYLAB_ROOT": str(course), "VOILA_APP_IP": "127.0.0.1"}
    assert ServePlan(root=course, host="0.0.0.0", token="t").kernel_env()["VOILA_APP_IP"] == "127.0.0.1"
    assert ServePlan(root=course, host="192.168.4.2", token="t").kernel_env()["VOILA_APP_IP"] == "192.168.4.2"


def test_a_named_notebook_is_preheated_like_a_lesson_of_the_day(course):
    page = "extra/own_page.ipynb"
    (course / page).parent.mkdir()
    (course / page).write_text("{}")
    one_laptop = ServePlan(root=course, langs=(), extra_folders=("extra",), preheat=(page,))
    assert one_laptop.pool_targets() == {page: 1}
    room = ServePlan(root=course, room=12, lessons=("01",), extra_folders=("extra",), preheat=(page,))
    assert room.pool_targets()[page] == 12


@pytest.mark.parametrize(
    "name", ["extra/own_page.ipynb", "notebooks/../../etc/x.ipynb", "/tmp/x.ipynb", "notebooks/en/readme.md"]
)
def test_only_notebooks_of_served_folders_can_be_preheated(course, name):
    with pytest.raises(ValueError, match="cannot preheat"):
        ServePlan(root=course, preheat=(name,))


def test_a_notebook_to_preheat_that_does_not_exist_is_named_in_the_error(course):
    with pytest.raises(ValueError, match=re.escape("'notebooks/en/99_typo.ipynb': there is no such notebook")):
        ServePlan(root=course, preheat=("notebooks/en/99_typo.ipynb",))


def test_the_command_line_passes_preheat_and_extra_folders_to_the_plan(course):
    from communitylab.cli import build_parser
    from communitylab.cli.present import plan_from_args

    (course / "extra").mkdir()
    (course / "extra" / "a.ipynb").write_text("{}")
    args = build_parser().parse_args(
        ["present", "--root", str(course), "--extra-folder", "extra", "--preheat", "extra/a.ipynb"]
    )
    plan = plan_from_args(args)
    assert plan.preheat == ("extra/a.ipynb",) and plan.extra_folders == ("extra",)
