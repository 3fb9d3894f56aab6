"""The ``communitylab`` command line: dispatch, ``simulate`` and its errors."""

import json
import subprocess
import sys

import pytest

from communitylab.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "communitylab.cli", *args], capture_output=True, text=True)


def test_simulate_prints_json_summary():
    done = run("simulate", "attention", "--set", "niche_width=0.03", "--seed", "0", "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["model"] == "attention" and payload["params"]["niche_width"] == 0.03
    assert payload["summary"]["read_share_pct"] == pytest.approx(0.64, abs=0.01)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("simulate", "nope"), "unknown model 'nope'"),
        (("simulate", "attention", "--set", "speed=1"), "has no parameter 'speed'"),
        (("simulate", "attention", "--set", "niche_width=3"), "outside the allowed range [0.02, 0.5]"),
        (("simulate", "attention", "--set", "niche_width"), "expects name=value"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(args, message):
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_help_lists_commands(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    for command in ("simulate", "import", "report", "progress", "present"):
        assert command in out


def test_list_shows_units_and_ranges():
    done = run("simulate", "attention", "--list")
    assert done.returncode == 0
    assert "niche_width" in done.stdout and "[0.02, 0.5] circle fraction" in done.stdout


def test_json_output_is_strict_json_when_a_monitor_is_not_finite():
    """A group that never goes quiet has quiet_day NaN; JSON readers get null, not NaN."""
    done = run("simulate", "participation", "--set", "members=2000", "--json")
    assert done.returncode == 0, done.stderr
    assert "NaN" not in done.stdout
    assert json.loads(done.stdout)["summary"]["quiet_day"] is None
