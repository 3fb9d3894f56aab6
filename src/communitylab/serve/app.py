"""The course server: Voila 0.5 with the course's guards, room limits and offline pages.

Run in the ``communitylab present`` process itself (not as a child), so Ctrl+C and
SIGTERM reach Voila, which then shuts every kernel down before it exits.

Why a subclass of Voila's application rather than flags: the Host check, the
path checks, the ``_xsrf`` cookie that lets a closing tab shut its kernel down
(upstream voila issue #1458), the room-full page and the capped pools all need
code in the server; everything else is plain configuration, given as a
``traitlets`` ``Config`` object (no command-line dicts, so no deprecation warnings).
"""

from __future__ import annotations

import os
import signal
from importlib import resources
from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from tornado import web
from traitlets.config import Config
from voila import app as voila_app
from voila.app import Voila
from voila.tornado import kernel_websocket_handler

from communitylab import i18n
from communitylab.serve.channels import ScrubbedChannels, read_v1_header
from communitylab.serve.guards import COURSE_FOLDERS, guard
from communitylab.serve.kernels import release_admission, room_kernel_manager
from communitylab.serve.pages import course_map_page, message_page, page_lang
from communitylab.serve.plan import ServePlan

__all__ = ["CourseVoila", "build_config", "template_root", "run"]

TEMPLATE = "communitylab"
#: Seconds a learner is asked to wait before retrying a full room.
RETRY_AFTER_S = 60
#: Message keys the page's own script shows when its kernel or the server goes (see the template).
PAGE_MESSAGES = ("kernel_lost", "server_lost", "offline", "reload")


def template_root() -> Path:
    """The ``share/jupyter`` folder holding our Voila template (added to ``JUPYTER_PATH``)."""
    return Path(str(resources.files("communitylab") / "share" / "jupyter"))


def page_messages() -> dict[str, dict[str, str]]:
    """Texts the page script shows, in every language, from the catalogs."""
    return {lang: {key: i18n.t(f"serve.page.{key}", lang) for key in PAGE_MESSAGES} for lang in i18n.LANGS}


def add_page_messages(page_config: dict, **_context) -> dict:
    """Voila ``page_config_hook``: embed the page script's texts in the page itself (they must work offline
    and after the server has gone)."""
    page_config["communitylabMessages"] = page_messages()
    return page_config


def build_config(plan: ServePlan) -> Config:
    """Voila's whole configuration for ``plan``."""
    c = Config()
    c.Voila.ip = plan.host
    c.Voila.port = plan.port
    c.Voila.port_retries = 0
    c.Voila.open_browser = False
    c.Voila.token = plan.token
    c.Voila.config_file_paths = []  # a voila.json left in the course folder must not undo the guards
    c.Voila.kernel_websocket_connection_class = ScrubbedChannels
    c.Voila.tornado_settings = {
        # Voila's own render/tree pages never set the _xsrf cookie; we do (see CourseRenderHandler).
        "xsrf_cookie_kwargs": {"samesite": "Strict"},
    }
    v = c.VoilaConfiguration
    v.template = TEMPLATE
    v.strip_sources = True
    v.show_tracebacks = False
    v.file_allowlist = [r".*\.(png|jpe?g|gif|svg|webp)"]
    v.page_config_hook = add_page_messages
    targets = plan.pool_targets()
    v.preheat_kernel = bool(targets)
    v.default_pool_size = 0
    c.VoilaExecutor.timeout = int(plan.cell_timeout_s)
    c.VoilaExecutor.interrupt_on_timeout = True
    c.VoilaKernelManager.kernel_pools_config = {"default": {"pool_size": 0}}
    c.VoilaKernelManager.fill_delay = 1.0
    c.RoomKernelManager.pool_targets = targets
    c.RoomKernelManager.max_kernels = plan.kernel_cap
    c.RoomKernelManager.disconnected_grace = plan.disconnected_grace_s
    # The culler is what notices pages that went away; it runs only with a positive idle timeout.
    c.MappingKernelManager.cull_idle_timeout = max(1, int(plan.disconnected_grace_s))
    c.MappingKernelManager.cull_interval = max(1, min(15, int(plan.disconnected_grace_s / 2)))
    c.MappingKernelManager.cull_connected = False
    return c


def _room_factory(base_class, preheat_kernel, default_pool_size, page_config_hook=None):
    """Voila's kernel-manager factory, with the room's limits on top of the class it makes."""
    made = _VOILA_FACTORY(base_class, preheat_kernel, default_pool_size, page_config_hook=page_config_hook)
    return room_kernel_manager(made)


_VOILA_FACTORY = voila_app.voila_kernel_manager_factory


class CourseVoila(Voila):
    """Voila serving a course folder to one laptop or a room (configured by :func:`build_config`)."""

    #: Set by :func:`run` before ``initialize``: the plan being served and the Host names allowed.
    plan: ServePlan
    hosts: frozenset[str]

    def init_settings(self):
        # Voila builds its kernel manager class inside init_settings; swap its factory for that call only,
        # so the room's manager is a true subclass of Voila's pooled one.
        voila_app.voila_kernel_manager_factory = _room_factory
        try:
            return super().init_settings()
        finally:
            voila_app.voila_kernel_manager_factory = _VOILA_FACTORY

    def init_handlers(self):
        root, hosts = self.plan.root, self.hosts
        folders = (*COURSE_FOLDERS, *self.plan.extra_folders)
        path_handlers = {
            "TornadoVoilaHandler",
            "TornadoVoilaTreeHandler",
            "VoilaContentsHandler",
            "AllowListFileHandler",
        }
        guarded = []
        for pattern, handler, *extra in super().init_handlers():
            checked = handler.__name__ in path_handlers
            if handler.__name__ == "TornadoVoilaHandler":
                handler = course_render_handler(handler)
            elif handler.__name__ == "TornadoVoilaTreeHandler" and pattern.rstrip("/") == self.server_url.rstrip("/"):
                # the bare address opens the course map (no kernel needed), not a listing of the course folder
                handler, extra, checked = CourseMapHandler, [{"root": root}], False
            guarded.append(
                (pattern, guard(handler, root=root, hosts=hosts, path_checked=checked, folders=folders), *extra)
            )
        # unknown addresses: 404 for the course's hosts, 403 for foreign ones, like every other page
        self.app.settings["default_handler_class"] = guard(web.ErrorHandler, root=root, hosts=hosts)
        self.app.settings["default_handler_args"] = {"status_code": 404}
        return guarded


class CourseMapHandler(JupyterHandler):
    """The course map at the server's own address, drawn without a kernel (where the QR code leads)."""

    def initialize(self, root: Path) -> None:
        self.root = root

    @web.authenticated
    def get(self) -> None:
        lang = i18n.normalize_lang(self.get_query_argument("lang", None)) or i18n.DEFAULT_LANG
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(course_map_page(self.root, lang))


def course_render_handler(voila_handler: type) -> type:
    """Voila's page handler, setting the ``_xsrf`` cookie and answering 503 when the room is full."""

    class CourseRenderHandler(voila_handler):
        @web.authenticated
        async def get(self, path=None):
            # Voila's page posts this cookie back when the tab closes, to shut its kernel down; without it
            # the shutdown is refused (403 "_xsrf argument missing") and the kernel lives on.
            self.xsrf_token  # noqa: B018 (the property sets the cookie)
            admit = getattr(self.kernel_manager, "admit", None)
            if admit is not None and not await admit(path):
                lang = page_lang(path or "", self.get_query_argument("lang", None))
                self.set_status(503)
                self.set_header("Retry-After", str(RETRY_AFTER_S))
                self.set_header("Content-Type", "text/html; charset=UTF-8")
                self.finish(message_page("serve.full.title", "serve.full.body", lang, seconds=RETRY_AFTER_S))
                return
            try:
                await super().get(path)
            finally:
                release_admission()

    return CourseRenderHandler


def run(plan: ServePlan, hosts: frozenset[str]) -> int:
    """Serve ``plan`` until Ctrl+C, SIGTERM or SIGHUP; every kernel is shut down before returning."""
    # Voila's own reader loops over whatever count a binary message starts with (see serve.channels)
    kernel_websocket_handler.read_header_from_binary_message = read_v1_header
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(template_root()), os.environ.get("JUPYTER_PATH")) if p)
    os.environ.update(plan.kernel_env())
    app = CourseVoila(config=build_config(plan))
    app.plan, app.hosts = plan, hosts
    app.initialize([str(plan.root)])
    # Voila handles SIGTERM by stopping its loop; a closed terminal (SIGHUP) and Ctrl+C (SIGINT) stop the room the
    # same way. Left to Python's default, SIGINT is a KeyboardInterrupt raised wherever the main thread happens to be,
    # and once in CI (a pool refilling, 2-core machine) it never reached Voila's loop: the server ran on.
    for sig in (signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, app._handle_signal_stop)
    app.start()
    return 0
