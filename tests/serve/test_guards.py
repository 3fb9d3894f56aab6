"""The course server's refusals, without a server: Host names, course paths, scrubbed kernel output."""

import os

import pytest

from communitylab.serve.address import new_token, served_hosts
from communitylab.serve.channels import TRACEBACK_REPLACEMENT, scrub_content, scrub_text
from communitylab.serve.guards import course_path_allowed, host_allowed
from communitylab.serve.pages import page_lang


@pytest.mark.parametrize(
    ("header", "allowed"),
    [
        ("127.0.0.1:8866", True),
        ("LOCALHOST:8866", True),
        ("[::1]:8866", True),
        ("192.168.4.2:8866", True),
        ("192.168.4.2", True),
        ("evil.example:8866", False),
        ("192.168.4.2.evil.example", False),
        ("localhost.evil.example:8866", False),
        ("", False),
        (None, False),
    ],
)
def test_only_the_names_being_served_pass_the_host_check(header, allowed):
    names = {"127.0.0.1", "localhost", "::1", "192.168.4.2"}
    assert host_allowed(header, names) is allowed


def test_a_room_serves_its_lan_addresses_and_a_lone_laptop_only_loopback():
    assert served_hosts("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    assert "venue.lan" in served_hosts("127.0.0.1", ("venue.lan",))
    assert "10.0.0.7" in served_hosts("10.0.0.7")


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    for folder in ("notebooks/en", "exercises/en", "src", ".git", "notebooks/.cache"):
        (root / folder).mkdir(parents=True)
    (root / "notebooks/en/01.ipynb").write_text("{}")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/x.ipynb").write_text("{}")
    os.symlink(tmp_path / "outside", root / "notebooks/linked")
    os.symlink(tmp_path / "outside/x.ipynb", root / "notebooks/x.ipynb")
    os.symlink(root / "notebooks/en", root / "exercises/lessons")  # a symlink inside the course is fine
    return root


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("notebooks/en/01.ipynb", True),
        ("/notebooks/en/01.ipynb", True),
        ("exercises/lessons/01.ipynb", True),
        ("notebooks", True),
        ("notebooks/linked/x.ipynb", False),
        ("notebooks/linked", False),
        ("notebooks/x.ipynb", False),
        ("notebooks/../src", False),
        ("notebooks/./en/01.ipynb", False),
        ("src/communitylab/exercises/m01.py", False),
        (".git/config", False),
        ("notebooks/.cache/a.png", False),
        ("notebooks\\..\\src", False),
        ("", False),
        (None, False),
    ],
)
def test_course_paths_stay_inside_the_notebook_folders(course, path, allowed):
    assert course_path_allowed(course, path) is allowed


def test_an_extra_folder_is_served_only_when_named(course):
    (course / "generated").mkdir()
    (course / "generated" / "page.ipynb").write_text("{}")
    assert not course_path_allowed(course, "generated/page.ipynb")
    assert course_path_allowed(course, "generated/page.ipynb", ("notebooks", "exercises", "generated"))


def test_a_page_speaks_its_folders_language_then_its_query():
    assert page_lang("/voila/render/notebooks/zh/01.ipynb") == "zh_CN"
    assert page_lang("/voila/render/notebooks/index.ipynb", "zh") == "zh_CN"
    assert page_lang("/voila/render/notebooks/index.ipynb") == "en"


def test_kernel_output_that_shows_code_or_paths_is_replaced():
    trace = 'Traceback (most recent call last):\n  File "/srv/x/site-packages/ipywidgets/widget.py", line 3'
    assert scrub_text(trace) == TRACEBACK_REPLACEMENT
    assert scrub_text("No such comm: abc\n") == "No such comm: abc\n"
    error = scrub_content("error", {"ename": "TraitError", "evalue": "/srv/x", "traceback": [trace]})
    assert error["traceback"] == [] and "/srv" not in str(error)
    state = {
        "outputs": [
            {"output_type": "error", "traceback": [trace]},
            {"output_type": "stream", "name": "stdout", "text": "ok"},
        ]
    }
    scrubbed = scrub_content("comm_msg", {"comm_id": "c", "data": {"method": "update", "state": state}})
    assert "Traceback" not in str(scrubbed) and "ok" in str(scrubbed)
    assert scrub_content("comm_msg", {"comm_id": "c", "data": {"method": "update", "state": {"value": 3}}}) is None


def test_tokens_are_long_random_and_easy_to_type():
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(token) == 10 and not set(token) & set("01ilo") for token in tokens)
