"""environment.yml (conda/Binder) must ask for exactly what pyproject.toml asks for."""

import functools
import operator
import pathlib
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _pins(requirements):
    parsed = [Requirement(r) for r in requirements]
    return {canonicalize_name(r.name): str(r.specifier) for r in parsed}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _pins(
        project["dependencies"] + functools.reduce(operator.iadd, project["optional-dependencies"].values(), [])
    )
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = _pins(
        d for d in environment["dependencies"] if isinstance(d, str) and d != "pip" and not d.startswith("python=")
    )
    assert conda == wanted


def test_environment_yml_pins_python_311():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in environment["dependencies"]
