"""What to serve and for how many: preheated pools, the kernel cap and the memory it needs.

A trainer says how many learners come (``--room N``) and which lessons the day
covers (``--lessons 01,03``); everything else follows from two measurements:

* a kernel that has run a lesson holds about :data:`LESSON_KERNEL_MB` of memory
  (RSS read with psutil after running every cell of lessons 01, 03, 05 and 07 the
  way Voila does: 155-180 MB; the landing page's kernel about 110 MB), and
* a cold kernel costs about 1.4 s of CPU before its page is drawn, so a room that
  arrives together must find its kernels already started (a pool per lesson).

The plan keeps at most :attr:`ServePlan.max_kernels` kernels alive, pools
included: a learner past the cap gets a "room is full, retry in a minute" page
instead of the laptop swapping.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from communitylab.course import LANG_FOLDERS, MODULES
from communitylab.serve.guards import COURSE_FOLDERS, course_path_allowed

__all__ = [
    "LANDING",
    "LESSON_KERNEL_MB",
    "LANDING_KERNEL_MB",
    "SERVER_MB",
    "PREHEAT_LANGS",
    "ServePlan",
    "preheat_notebooks",
    "lesson_notebooks",
]

#: The landing notebook, relative to the course root.
LANDING = "notebooks/index.ipynb"
#: Memory of one kernel after running a lesson (RSS, MB; the largest of lessons 01, 03, 05, 07 measured).
LESSON_KERNEL_MB = 180
#: Memory of the landing page's kernel (RSS, MB).
LANDING_KERNEL_MB = 110
#: Memory of the Voila server itself with a room connected (RSS, MB).
SERVER_MB = 200
#: ``--lang`` choice -> languages whose lessons get a preheated kernel.
PREHEAT_LANGS: dict[str, tuple[str, ...]] = {"en": ("en",), "zh_CN": ("zh_CN",), "all": ("en", "zh_CN"), "none": ()}
#: Hosts that mean "this machine only".
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def lesson_notebooks(langs: Sequence[str], numbers: Sequence[str] = ()) -> list[str]:
    """Course-root-relative lesson notebooks of ``langs``, for the modules ``numbers`` (all when empty)."""
    wanted = set(numbers)
    return [
        f"notebooks/{LANG_FOLDERS[lang]}/{module.notebook}"
        for module in MODULES
        if not wanted or module.number in wanted
        for lang in langs
    ]


def preheat_notebooks(langs: Sequence[str]) -> list[str]:
    """The landing page and every lesson of ``langs``: what one laptop preheats."""
    return [LANDING, *lesson_notebooks(langs)]


@dataclass(frozen=True)
class ServePlan:
    """Everything ``communitylab present`` decides before Voila starts.

    Attributes
    ----------
    root : Path
        The course folder (holds ``notebooks/``, ``exercises/``, ``datasets/``).
    host : str
        Address to bind: ``127.0.0.1`` (one laptop) or ``0.0.0.0`` / a LAN address (a room).
    port : int
        TCP port.
    token : str
        Access token learners need; required whenever ``host`` is not loopback.
    langs : tuple of str
        Languages whose lessons get preheated kernels.
    room : int
        Learners expected at once; 0 for a trainer alone at a projector.
    lessons : tuple of str
        Module numbers of the day (``("01", "03")``); empty means every lesson.
    max_kernels : int or None
        Cap on live kernels, pools included; ``None`` derives it from ``room``.
    disconnected_grace_s : float
        A kernel whose page has had no connection this long is shut down (s).
    cell_timeout_s : float
        Longest a notebook cell may run while a page renders (s).
    extra_hosts : tuple of str
        More Host names learners may use (e.g. the venue's DNS name for this laptop).
    extra_folders : tuple of str
        More folders of the course root whose notebooks are served, beside
        ``notebooks/`` and ``exercises/`` (the tests serve generated pages this way).
    preheat : tuple of str
        More notebooks, relative to ``root``, that get preheated kernels like a lesson
        of the day (a trainer's own page in an extra folder; the page-speed benchmark's
        bare Voila page).
    """

    root: Path
    host: str = "127.0.0.1"
    port: int = 8866
    token: str = ""
    langs: tuple[str, ...] = ("en",)
    room: int = 0
    lessons: tuple[str, ...] = ()
    max_kernels: int | None = None
    disconnected_grace_s: float = 60.0
    cell_timeout_s: float = 120.0
    extra_hosts: tuple[str, ...] = field(default_factory=tuple)
    extra_folders: tuple[str, ...] = field(default_factory=tuple)
    preheat: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.room < 0:
            raise ValueError("room must be 0 or a number of learners")
        if self.max_kernels is not None and self.max_kernels < 1:
            raise ValueError("max_kernels must be at least 1")
        if self.disconnected_grace_s <= 0 or self.cell_timeout_s <= 0:
            raise ValueError("time limits must be positive (s)")
        known = {module.number for module in MODULES}
        unknown = [number for number in self.lessons if number not in known]
        if unknown:
            raise ValueError(f"unknown lesson(s) {', '.join(unknown)}; the course has {', '.join(sorted(known))}")
        if any(not folder or "/" in folder or folder.startswith(".") for folder in self.extra_folders):
            raise ValueError("extra folders are names of top-level, visible folders of the course")
        served = (*COURSE_FOLDERS, *self.extra_folders)
        for name in self.preheat:
            # the server's own path check: what it would refuse to serve, it must not preheat
            if not name.endswith(".ipynb") or not course_path_allowed(self.root, name, served):
                raise ValueError(f"cannot preheat {name!r}: name a notebook under {', '.join(served)}")
            if not (self.root / name).is_file():
                raise ValueError(f"cannot preheat {name!r}: there is no such notebook in {self.root}")
        if not self.is_loopback and not self.token:
            raise ValueError(
                f"serving on {self.host} (beyond this machine) needs an access token; loopback (127.0.0.1) needs none"
            )

    @property
    def is_loopback(self) -> bool:
        """Whether only this machine can reach the server."""
        return self.host in LOOPBACK or self.host.startswith("127.")

    def pool_targets(self) -> dict[str, int]:
        """Preheated kernels wanted per notebook, in priority order (first served first).

        One laptop: one kernel for the landing page and for each lesson of the chosen
        languages. A room of N: N kernels for each lesson of the day (the whole room
        opens the lesson of the hour within a minute) and a few for the landing page;
        the cap decides how many of those can exist at once. Notebooks named in
        ``preheat`` get as many kernels as a lesson of the day.
        """
        if not self.room:
            targets = dict.fromkeys(preheat_notebooks(self.langs) if self.langs else [], 1)
        else:
            targets = dict.fromkeys(lesson_notebooks(self.langs, self.lessons), self.room)
            targets[LANDING] = max(1, math.ceil(self.room / 8))
        targets.update(dict.fromkeys(self.preheat, max(1, self.room)))
        return {name: size for name, size in targets.items() if (self.root / name).is_file()}

    @property
    def kernel_cap(self) -> int:
        """Most kernels alive at once, pools included.

        A room of N gets N plus a fifth (at least 3) for reloads, a second tab and the
        landing page; one laptop gets its pools plus 16 pages.
        """
        if self.max_kernels is not None:
            return self.max_kernels
        if self.room:
            return self.room + max(3, math.ceil(self.room / 5))
        return sum(self.pool_targets().values()) + 16

    def memory_mb(self) -> int:
        """Memory the server needs with every allowed kernel alive (MB, RSS)."""
        return SERVER_MB + self.kernel_cap * LESSON_KERNEL_MB

    def kernel_env(self) -> dict[str, str]:
        """Environment variables every kernel needs: where the course is, where Voila answers."""
        # Kernels of preheated pages ask Voila for their request on this address (voila.utils.wait_for_request).
        app_ip = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") or self.is_loopback else self.host
        return {"COMMUNITYLAB_ROOT": str(self.root), "VOILA_APP_IP": app_ip}
