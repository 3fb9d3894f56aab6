"""The install files agree with pyproject.toml: conda, Binder, npm and the constraints of tested versions.

- ``environment.yml`` and ``binder/environment.yml`` ask for exactly the runtime dependencies;
- ``environment-dev.yml`` asks for exactly the test, bench and hub extras, with conda-forge names,
  and takes from PyPI only what conda-forge does not carry under the same name;
- ``constraints.txt`` pins every dependency to a version that satisfies pyproject.toml;
- ``binder/postBuild`` is a valid shell script that installs the package;
- ``deploy/package-lock.json`` locks the proxy version that ``deploy/package.json`` asks for.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = pathlib.Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
EXTRAS = PROJECT["optional-dependencies"]
RUNTIME_ENVIRONMENTS = ("environment.yml", "binder/environment.yml")
#: PyPI names that conda-forge does not carry under the same name (environment-dev.yml installs them
#: with pip): conda-forge calls playwright "playwright-python"; pytest-playwright is only in Microsoft's channel.
NOT_ON_CONDA_FORGE = {"playwright", "pytest-playwright"}


def _pins(requirements) -> dict[str, str]:
    parsed = [Requirement(r) for r in requirements]
    return {canonicalize_name(r.name): str(r.specifier) for r in parsed}


def _environment(name: str) -> dict:
    environment = yaml.safe_load((ROOT / name).read_text())
    assert isinstance(environment, dict), f"{name} is not a mapping"
    return environment


def _conda_part(environment: dict) -> dict[str, str]:
    """Conda dependencies (pip-style specifiers) without python= and pip itself."""
    return _pins(
        d for d in environment["dependencies"] if isinstance(d, str) and d != "pip" and not d.startswith("python=")
    )


def _pip_part(environment: dict) -> list[str]:
    sections = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
    return [line for section in sections for line in section]


@pytest.mark.parametrize("name", RUNTIME_ENVIRONMENTS)
def test_runtime_environment_matches_runtime_dependencies(name):
    assert _conda_part(_environment(name)) == _pins(PROJECT["dependencies"])


def test_dev_environment_matches_the_extras():
    environment = _environment("environment-dev.yml")
    conda, pip = _conda_part(environment), _pins(_pip_part(environment))
    wanted = _pins(requirement for extra in ("test", "bench", "hub") for requirement in EXTRAS[extra])
    assert set(EXTRAS) == {"test", "bench", "hub"}, "a new extra needs a place in environment-dev.yml"
    assert {**conda, **pip} == wanted
    assert not set(conda) & set(pip), "a package is asked for twice"
    assert set(pip) == NOT_ON_CONDA_FORGE, "take from PyPI only what conda-forge lacks"


@pytest.mark.parametrize("name", ["environment.yml", "environment-dev.yml", "binder/environment.yml"])
def test_environments_use_conda_forge_only(name):
    environment = _environment(name)
    assert environment["channels"] == ["conda-forge"]
    assert environment["name"] == "communitylab"
    assert all(isinstance(d, (str, dict)) for d in environment["dependencies"])


@pytest.mark.parametrize("name", RUNTIME_ENVIRONMENTS)
def test_runtime_environments_pin_python_311(name):
    assert "python=3.11" in _environment(name)["dependencies"]


def test_conda_environment_installs_the_package_itself():
    assert _pip_part(_environment("environment.yml")) == ["-e ."]


def test_binder_post_build_installs_the_package_and_parses():
    post_build = ROOT / "binder" / "postBuild"
    assert os.access(post_build, os.X_OK), "repo2docker runs postBuild only if it is executable"
    subprocess.run(["bash", "-n", str(post_build)], check=True)
    text = post_build.read_text()
    assert "pip install --no-deps -e ." in text  # dependencies come from binder/environment.yml
    assert not _pip_part(_environment("binder/environment.yml")), "binder/postBuild installs the package"
    assert 'landing = "/voila/render/notebooks/index.ipynb"' in text
    assert (ROOT / "notebooks" / "index.ipynb").exists()
    assert 'template="communitylab"' in text
    assert (ROOT / "src/communitylab/share/jupyter/voila/templates/communitylab" / "index.html.j2").exists()


def test_binder_post_build_configures_voila(tmp_path):
    """Run postBuild's Python part against a scratch prefix: it writes the settings Jupyter reads."""
    text = (ROOT / "binder" / "postBuild").read_text()
    script = re.search(r"python - <<'PY'\n(.*?)\nPY", text, re.S).group(1)
    prefix = tmp_path / "env"
    existing = prefix / "etc/jupyter/jupyter_server_config.json"
    existing.parent.mkdir(parents=True)
    existing.write_text(json.dumps({"ServerApp": {"open_browser": False}}))  # kept, not overwritten
    script = script.replace("pathlib.Path(sys.prefix)", f"pathlib.Path({str(prefix)!r})")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)
    config = json.loads(existing.read_text())
    assert config["ServerApp"] == {"open_browser": False, "default_url": "/voila/render/notebooks/index.ipynb"}
    assert config["LabApp"]["default_url"] == config["ServerApp"]["default_url"]
    assert config["VoilaConfiguration"] == {"template": "communitylab", "strip_sources": True, "show_tracebacks": False}
    template = prefix / "share/jupyter/voila/templates/communitylab"
    assert (template / "index.html.j2").exists()


def _constraints() -> dict[str, list[tuple[Version, str]]]:
    """Package -> [(pinned version, environment marker)] from constraints.txt."""
    pins: dict[str, list[tuple[Version, str]]] = {}
    for number, line in enumerate((ROOT / "constraints.txt").read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        (spec,) = requirement.specifier  # exactly one ==, or the file was not generated by `make constraints`
        assert spec.operator == "==", f"constraints.txt line {number}: {line!r} is not a pin"
        pins.setdefault(canonicalize_name(requirement.name), []).append(
            (Version(spec.version), str(requirement.marker or ""))
        )
    return pins


def test_constraints_pin_every_dependency_within_pyproject_bounds():
    pins = _constraints()
    wanted = PROJECT["dependencies"] + [requirement for extra in EXTRAS.values() for requirement in extra]
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in constraints.txt: run `make constraints`"
        for version, marker in pins[name]:
            assert version in requirement.specifier, (
                f"constraints.txt pins {name}=={version} ({marker or 'everywhere'}) outside pyproject's "
                f"{requirement.specifier}: run `make constraints`"
            )
    assert "communitylab" not in pins


def test_proxy_lock_matches_package_json():
    wanted = json.loads((ROOT / "deploy" / "package.json").read_text())["dependencies"]
    lock = json.loads((ROOT / "deploy" / "package-lock.json").read_text())
    for name, version in wanted.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][""]["dependencies"][name] == version
