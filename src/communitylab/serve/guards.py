"""What the course server refuses, and the pages it shows instead of Voila's.

Voila 0.5 checks neither the Host header (``allow_remote_access=True``) nor where
a path ends up after symlinks, and serves images from any folder. Every handler
of the course server goes through :func:`guard`, which

* answers 403 to a Host header that is not one of the names being served (a
  DNS-rebinding page on the room's network cannot drive kernels);
* answers 404 to a course path that is not a notebook folder of the course
  (``notebooks/``, ``exercises/``), names a hidden part (``.git``, ``.venv``), or
  leaves those folders once symlinks are resolved;
* writes its own error page, which names neither a file nor a traceback.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from tornado import web

from communitylab.serve.pages import message_page, page_lang

__all__ = ["COURSE_FOLDERS", "course_path_allowed", "host_allowed", "guard"]

#: The only folders of the course root that pages, listings and files come from.
COURSE_FOLDERS = ("notebooks", "exercises")
_PORT = re.compile(r":\d+$")
_log = logging.getLogger("communitylab.serve")


def host_allowed(host_header: str | None, names: Iterable[str]) -> bool:
    """Whether a request's ``Host`` header names this server (port ignored, case-insensitive)."""
    if not host_header:
        return False
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:8866
        host = host[1 : host.find("]")] if "]" in host else host
    else:
        host = _PORT.sub("", host)
    return host in {name.lower().strip("[]") for name in names}


def course_path_allowed(root: Path, relative: str | None, folders: Iterable[str] = COURSE_FOLDERS) -> bool:
    """Whether ``relative`` (a URL path below the course root, already %-decoded) may be served.

    Refused: empty paths, ``..``/``.`` parts, hidden parts (``.git``), backslashes,
    paths outside ``folders``, and paths that symlinks lead out of those folders.
    """
    if not relative:
        return False
    raw_parts = relative.strip("/").split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in raw_parts):
        return False
    parts = PurePosixPath(relative.strip("/")).parts
    if not parts or parts[0] not in folders or "\\" in relative or "\x00" in relative:
        return False
    real = os.path.realpath(root.joinpath(*parts))
    for folder in folders:
        base = os.path.realpath(root / folder)
        if real == base or real.startswith(base + os.sep):
            return True
    return False


def guard(
    handler_class: type,
    *,
    root: Path,
    hosts: Iterable[str],
    path_checked: bool = False,
    folders: Iterable[str] = COURSE_FOLDERS,
) -> type:
    """``handler_class`` with the course server's Host check, path check and error page.

    Parameters
    ----------
    handler_class : type
        A tornado request handler (or websocket handler) of Voila or Jupyter Server.
    root : Path
        The course folder.
    hosts : iterable of str
        Host names and addresses learners may use.
    path_checked : bool
        Whether the handler's first URL argument is a course path to check.
    folders : iterable of str
        Folders of the course root that may be served.
    """
    names, folders = frozenset(hosts), tuple(folders)

    class Guarded(handler_class):
        def prepare(self):
            if not host_allowed(self.request.headers.get("Host"), names):
                _log.warning("Refused a request for Host %r", self.request.headers.get("Host"))
                raise web.HTTPError(403)
            if path_checked:
                relative = self.path_args[0] if self.path_args else self.path_kwargs.get("path", "")
                if not course_path_allowed(root, relative or "", folders):
                    raise web.HTTPError(404)
            return super().prepare()

        def write_error(self, status_code: int, **kwargs) -> None:
            # Voila's and Jupyter's error pages can carry an exception's text; ours carry only the status.
            self.clear_header("Content-Type")
            if self.request.path.startswith(("/api/", "/voila/api/")):
                self.set_header("Content-Type", "application/json")
                self.finish(f'{{"status": {status_code}}}')
                return
            lang = page_lang(self.request.path, self.get_query_argument("lang", None))
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.finish(message_page("serve.error.title", "serve.error.body", lang, status=status_code))

    Guarded.__name__ = Guarded.__qualname__ = f"Guarded{handler_class.__name__}"
    return Guarded
