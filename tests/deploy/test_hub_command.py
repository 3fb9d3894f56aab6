"""``communitylab hub`` before JupyterHub starts: the folder checks, the proxy lookup, the passwords."""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path

import pytest

from communitylab.cli import build_parser, hub

ROOT = Path(__file__).resolve().parents[2]


def _args(*extra: str) -> argparse.Namespace:
    return build_parser().parse_args(["hub", *extra])


def test_defaults_bind_to_loopback():
    args = _args()
    assert (args.ip, args.port, args.cull_timeout, args.lang) == ("127.0.0.1", 8000, 1800, "en")


def test_a_folder_without_the_config_is_refused(tmp_path, capsys):
    assert hub.run(_args("--root", str(tmp_path))) == 2
    assert "deploy/jupyterhub_config.py" in capsys.readouterr().err


def test_proxy_lookup_prefers_the_course_folder_then_path_then_says_what_is_missing(tmp_path, monkeypatch):
    local = hub.proxy_path(tmp_path)
    local.parent.mkdir(parents=True)
    local.write_text("#!/bin/sh\n")
    assert hub.install_proxy(tmp_path) == local
    local.unlink()
    monkeypatch.setattr(hub.shutil, "which", lambda name: "/opt/conda/bin/x" if name != "npm" else None)
    assert hub.install_proxy(tmp_path) == Path("/opt/conda/bin/x")
    monkeypatch.setattr(hub.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="npm is missing"):
        hub.install_proxy(tmp_path)


def test_passwords_are_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("COMMUNITYLAB_HUB_PASSWORD", raising=False)
    monkeypatch.delenv("COMMUNITYLAB_HUB_ADMIN_PASSWORD", raising=False)
    env, password, admin = hub.hub_environment(_args(), ROOT, tmp_path)
    assert len(password) >= 8 and len(admin) >= 32 and password != admin
    assert stat.S_IMODE(os.stat(tmp_path / hub.PASSWORD_FILE).st_mode) == 0o600
    assert hub.hub_environment(_args(), ROOT, tmp_path)[1:] == (password, admin)  # a restarted hub: same ones
    assert env["COMMUNITYLAB_HUB_ROOM"] == str(tmp_path / "room")
    assert env["COMMUNITYLAB_HUB_IP"] == "127.0.0.1"


def test_a_short_room_password_is_refused(tmp_path):
    with pytest.raises(ValueError, match="8 characters"):
        hub.hub_environment(_args("--password", "short"), ROOT, tmp_path)
