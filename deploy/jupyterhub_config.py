"""JupyterHub for a Community Lab workshop: every learner gets JupyterLab with the course in their home.

Started by ``communitylab hub`` (``make hub``), which sets the ``COMMUNITYLAB_HUB_*`` variables
read below; it can also be run by hand with ``jupyterhub -f deploy/jupyterhub_config.py`` after
exporting them. This file uses the standard library only, so a hub whose Python environment is not
the course's (The Littlest JupyterHub keeps the hub in ``/opt/tljh/hub``) can load it too.

What it sets up, and why (``deploy/README.md`` says what was tested):

- **Spawner**: ``SimpleLocalProcessSpawner``. Every learner's JupyterLab runs as the hub's own system
  user in a home folder of its own under the state folder. No system accounts are created, so a
  trainer's laptop needs no root and the test leaves nothing behind; the price is no isolation
  between learners (each could read the others' files from a terminal), which is acceptable on a
  loopback or classroom hub for one day and not beyond. For isolation use TLJH or Zero to JupyterHub.
- **Authenticator**: ``SharedPasswordAuthenticator`` (JupyterHub >= 5.3). Learners pick a name and type
  the room password; the trainer logs in as ``trainer`` with a separate admin password of 32 or more
  characters. Anyone with the room password can log in under any learner's name: fine for a room of
  people who trust each other, not for a graded exam.
- **Course copy**: before each spawn, files of ``notebooks/`` and ``exercises/`` that the learner's home
  does not have yet are copied in. Existing files are never overwritten, so a learner's edits survive
  a restart, and lessons added later still arrive. JupyterLab is told not to offer Jupyter's news feed
  or update checks, which would need the internet.
- **Progress**: each server gets ``COMMUNITYLAB_PROGRESS_DIR`` (the room folder, shared) and
  ``COMMUNITYLAB_LEARNER`` (the hub user name), so every check writes one line to
  ``<room>/progress-<name>.jsonl``; the trainer runs ``communitylab progress --room <room>``.
- **Idle culling**: ``jupyterhub-idle-culler`` runs as a hub-managed service with only the scopes it needs.
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - injected by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
ENV = os.environ


def _setting(name, default):
    """A ``COMMUNITYLAB_HUB_<NAME>`` variable, else the default."""
    return ENV.get(f"COMMUNITYLAB_HUB_{name}") or default


ROOT = Path(_setting("ROOT", HERE.parent)).resolve()
STATE = Path(_setting("STATE", ROOT / ".hub")).resolve()
ROOM = Path(_setting("ROOM", STATE / "room")).resolve()
HOMES = STATE / "homes"
IP = _setting("IP", "127.0.0.1")
PORT = int(_setting("PORT", 8000))
HUB_PORT = int(_setting("HUB_PORT", 8081))
PROXY_API_PORT = int(_setting("PROXY_API_PORT", 8001))
CULL_TIMEOUT = int(_setting("CULL_TIMEOUT", 1800))  # seconds without activity before a server is stopped
LESSON_LANG = _setting("LANG", "en")  # the folder of the lesson JupyterLab opens first: en or zh
COURSE_FOLDERS = ("notebooks", "exercises")

for folder in (STATE, ROOM, HOMES):
    folder.mkdir(parents=True, exist_ok=True)

# -- network: the proxy faces the learners; the hub and the proxy's API stay on loopback -------------
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{HUB_PORT}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
# configurable-http-proxy from npm, installed into deploy/node_modules by `make hub` (not globally)
c.ConfigurableHTTPProxy.command = [_setting("PROXY", str(HERE / "node_modules" / ".bin" / "configurable-http-proxy"))]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# -- state: the hub's database and cookie secret live with the workshop, not in the current folder ---
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server

# -- who may log in ----------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = ENV.get("COMMUNITYLAB_HUB_PASSWORD")
c.Authenticator.allow_all = True  # any name with the room password; names are checked below
# Lower-case letters, digits, '.', '_' and '-', 1-32 characters: safe as a folder and a file name.
c.Authenticator.username_pattern = r"^[a-z0-9][a-z0-9._-]{0,31}$"
if ENV.get("COMMUNITYLAB_HUB_ADMIN_PASSWORD"):
    c.SharedPasswordAuthenticator.admin_password = ENV["COMMUNITYLAB_HUB_ADMIN_PASSWORD"]
    c.Authenticator.admin_users = {_setting("ADMIN", "trainer")}


# What the login page tells a learner, in both course languages.
c.JupyterHub.template_vars = {
    "announcement_login": (
        "Community Lab · 社群实验室<br>"
        "Username: a name of your own (lower-case letters, digits). Password: the room password.<br>"
        "用户名：自己取一个（小写字母、数字）；密码：讲师给出的房间密码。"
    )
}

# -- each learner's JupyterLab -------------------------------------------------------------------------
# JupyterLab asks every new user whether to fetch Jupyter's news from the internet; a room may have none.
LAB_SETTINGS = {
    ".jupyter/lab/user-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings": (
        '{"fetchNews": "false", "checkForUpdates": false}\n'
    ),
}


def prepare_home(spawner):
    """Copy the course files a learner's home does not have yet (never overwrite their work)."""
    home = Path(getattr(spawner, "home_dir", "") or Path.home() / spawner.user.name)
    for name in COURSE_FOLDERS:
        source = ROOT / name
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(ROOT)
            if path.is_dir() or any(part.startswith(".") for part in relative.parts):
                continue  # .ipynb_checkpoints and other hidden files stay behind
            target = home / relative
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    for relative, text in LAB_SETTINGS.items():
        target = home / relative
        if not target.exists():  # a learner's own choice in Settings wins
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.pre_spawn_hook = prepare_home
# The single-user server from the hub's own environment, where the course package is installed.
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
# A room may have no internet: JupyterLab must not offer to fetch its news feed or check for updates.
c.Spawner.args = ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
if os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")  # Jupyter refuses root without it; servers run as the hub's user
c.Spawner.default_url = f"/lab/tree/notebooks/{LESSON_LANG}/00_welcome.ipynb"
c.Spawner.start_timeout = 120  # a busy 2-core laptop starting several servers at once
c.Spawner.http_timeout = 90
ACTIVITY_INTERVAL = max(5, min(300, CULL_TIMEOUT // 3))  # report activity often enough for the culler
c.Spawner.environment = {
    "COMMUNITYLAB_PROGRESS_DIR": str(ROOM),
    "COMMUNITYLAB_LEARNER": lambda spawner: spawner.user.name,
    # one offline chart bundle for the whole room instead of one per learner (see labs/_offline.py)
    "COMMUNITYLAB_CACHE_DIR": str(STATE / "cache"),
    # lesson 07's bundled chat exports stay in the course folder; homes hold only notebooks and exercises
    "COMMUNITYLAB_DATASETS": str(ROOT / "datasets"),
    "JUPYTERHUB_ACTIVITY_INTERVAL": str(ACTIVITY_INTERVAL),
}

# -- idle culling --------------------------------------------------------------------------------------
c.JupyterHub.last_activity_interval = ACTIVITY_INTERVAL
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            f"--cull-every={max(5, min(300, CULL_TIMEOUT // 6))}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
