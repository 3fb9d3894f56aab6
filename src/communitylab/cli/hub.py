"""``communitylab hub``: a JupyterHub for a workshop room, every learner in JupyterLab with the course.

The hub's behaviour is in ``deploy/jupyterhub_config.py`` (spawner, shared password, course copy,
progress folder, idle culler); this command prepares what it needs and runs it:

1. installs configurable-http-proxy from ``deploy/package-lock.json`` into ``deploy/node_modules``
   with ``npm ci`` the first time (the proxy is a Node.js program; nothing is installed globally);
2. keeps the workshop's state in one folder (``--state``, default ``.hub/`` in the course folder):
   the hub's database, the learners' homes, the room's progress folder and the two passwords, which
   are generated once and kept so a restarted hub lets everybody back in with the same ones;
3. runs JupyterHub in the foreground and stops it (and with it every learner's server, the proxy
   and the culler) on Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from communitylab.cli import EXIT_USAGE

__all__ = ["run", "proxy_path", "install_proxy", "hub_environment", "PASSWORD_FILE", "ADMIN_PASSWORD_FILE"]

CONFIG = Path("deploy") / "jupyterhub_config.py"
#: Where ``npm ci`` puts the proxy, relative to the course folder.
PROXY = Path("deploy") / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD_FILE = "room-password.txt"
ADMIN_PASSWORD_FILE = "trainer-password.txt"
#: Python packages the hub needs besides the course (the ``hub`` extra of the package).
HUB_MODULES = ("jupyterhub", "jupyterhub_idle_culler")


def _error(message: str) -> int:
    print(f"communitylab hub: {message}", file=sys.stderr)
    return EXIT_USAGE


def proxy_path(root: Path) -> Path:
    """The configurable-http-proxy executable of a course folder (it may not be installed yet)."""
    return root / PROXY


def install_proxy(root: Path) -> Path:
    """The proxy to run: ``deploy/node_modules``'s, else one on PATH (conda's), else installed now.

    The first time, ``npm ci`` installs exactly the version locked in ``deploy/package-lock.json``.

    Raises
    ------
    RuntimeError
        If npm is not installed or ``npm ci`` fails (its output is in the message).
    """
    proxy = proxy_path(root)
    if proxy.exists():
        return proxy
    on_path = shutil.which("configurable-http-proxy")  # e.g. conda-forge's, in environment-dev.yml
    if on_path:
        return Path(on_path)
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "configurable-http-proxy is not installed and npm is missing; "
            "install Node.js and npm (Debian: apt-get install nodejs npm), then run this again"
        )
    print("Installing configurable-http-proxy into deploy/node_modules (npm ci, once)...", flush=True)
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(root / "deploy")],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not proxy.exists():
        raise RuntimeError(f"npm ci failed in {root / 'deploy'}:\n{done.stdout}{done.stderr}")
    return proxy


def _kept_password(path: Path, given: str | None, length: int) -> str:
    """The given password, else the one kept in ``path``, else a new one (kept there, owner-only)."""
    if given:
        return given
    if path.exists():
        kept = path.read_text(encoding="utf-8").strip()
        if kept:
            return kept
    # Letters and digits a learner can read off a projector; no 0/O or 1/l/I to confuse.
    alphabet = "abcdefghijkmnopqrstuvwxyz23456789"
    password = "".join(secrets.choice(alphabet) for _ in range(length))
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return password


def hub_environment(args: argparse.Namespace, root: Path, state: Path) -> tuple[dict[str, str], str, str]:
    """Environment of the JupyterHub process (read by ``deploy/jupyterhub_config.py``) and the passwords."""
    password = _kept_password(state / PASSWORD_FILE, args.password or os.environ.get("COMMUNITYLAB_HUB_PASSWORD"), 10)
    if len(password) < 8:
        raise ValueError("the room password needs 8 characters or more (JupyterHub's rule)")
    admin = _kept_password(state / ADMIN_PASSWORD_FILE, os.environ.get("COMMUNITYLAB_HUB_ADMIN_PASSWORD"), 32)
    room = Path(args.room).resolve() if args.room else state / "room"
    env = dict(os.environ)
    env.update(
        {
            "COMMUNITYLAB_HUB_ROOT": str(root),
            "COMMUNITYLAB_HUB_STATE": str(state),
            "COMMUNITYLAB_HUB_ROOM": str(room),
            "COMMUNITYLAB_HUB_IP": args.ip,
            "COMMUNITYLAB_HUB_PORT": str(args.port),
            "COMMUNITYLAB_HUB_HUB_PORT": str(args.hub_port),
            "COMMUNITYLAB_HUB_PROXY_API_PORT": str(args.proxy_api_port),
            "COMMUNITYLAB_HUB_CULL_TIMEOUT": str(args.cull_timeout),
            "COMMUNITYLAB_HUB_LANG": args.lang,
            "COMMUNITYLAB_HUB_PASSWORD": password,
            "COMMUNITYLAB_HUB_ADMIN_PASSWORD": admin,
        }
    )
    return env, password, admin


def _banner(args: argparse.Namespace, env: dict[str, str], password: str) -> None:
    host = "127.0.0.1" if args.ip in ("127.0.0.1", "localhost") else args.ip
    lines = [
        f"Community Lab hub is starting at http://{host}:{args.port}/",
        f"  Learners: pick a name (lower-case letters, digits, . _ -) and the room password: {password}",
        f"  Trainer:  log in as 'trainer' with the password in {Path(env['COMMUNITYLAB_HUB_STATE']) / ADMIN_PASSWORD_FILE}",
        f"  Progress: every check lands in {env['COMMUNITYLAB_HUB_ROOM']}; summarise the room with",
        f"            communitylab progress --room {env['COMMUNITYLAB_HUB_ROOM']}",
        f"  Idle servers stop after {args.cull_timeout} s without activity. Stop the hub with Ctrl+C.",
    ]
    if args.ip not in ("127.0.0.1", "localhost", "::1"):
        lines.insert(1, "  Plain HTTP beyond this machine: anyone on the network can read the traffic.")
    print("\n".join(lines), flush=True)


def _default_signals() -> None:
    # A shell that starts a job in the background ignores SIGINT for it, and the hub's children would
    # inherit that: JupyterHub stops its services with SIGINT first, so they must hear it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def run(args: argparse.Namespace) -> int:
    """Start JupyterHub for the course folder; return its exit code (0 after Ctrl+C or SIGTERM)."""
    root = Path(args.root).resolve()
    if not (root / CONFIG).exists():
        return _error(f"no {CONFIG} under {root}; run it from the course folder or pass --root")
    missing = [name for name in HUB_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        return _error(f"{', '.join(missing)} not installed; install the hub extra: pip install -e '.[hub]'")
    try:
        proxy = install_proxy(root)
    except RuntimeError as error:
        return _error(str(error))
    state = Path(args.state).resolve() if args.state else root / ".hub"
    state.mkdir(parents=True, exist_ok=True)
    try:
        env, password, _admin = hub_environment(args, root, state)
    except ValueError as error:
        return _error(str(error))
    env["COMMUNITYLAB_HUB_PROXY"] = str(proxy)
    _banner(args, env, password)  # the trainer's password only as a file path: not for the projector
    hub = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(root / CONFIG)],
        cwd=state,
        env=env,
        preexec_fn=_default_signals,  # runs in the child before exec
    )

    def forward(signum, _frame):
        hub.send_signal(signal.SIGTERM)  # JupyterHub's clean shutdown: servers, services, proxy

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = hub.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    # JupyterHub exits 0 on a clean shutdown; a signal-killed hub reports -N
    return 0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code
