"""``communitylab present``: serve the course in Voila and tell the trainer how learners reach it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from communitylab.cli import EXIT_USAGE
from communitylab.serve.plan import LANDING, PREHEAT_LANGS, ServePlan

__all__ = ["run", "plan_from_args", "banner"]


def plan_from_args(args: argparse.Namespace) -> ServePlan:
    """The :class:`ServePlan` the command line asks for (``ValueError`` with a reason if it cannot be served)."""
    from communitylab.serve.address import new_token

    loopback = args.host in ("127.0.0.1", "localhost", "::1")
    token = args.token if args.token is not None else ("" if loopback else new_token())
    lessons = tuple(part.strip().zfill(2) for part in (args.lessons or "").split(",") if part.strip())
    return ServePlan(
        root=Path(args.root).resolve(),
        host=args.host,
        port=args.port,
        token=token,
        langs=PREHEAT_LANGS[args.lang],
        room=args.room,
        lessons=lessons,
        max_kernels=args.max_kernels,
        disconnected_grace_s=args.cull_after,
        cell_timeout_s=args.cell_timeout,
        extra_hosts=tuple(args.allow_host),
        extra_folders=tuple(args.extra_folder),
        preheat=tuple(args.preheat),
    )


def _available_mb() -> int | None:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is a dependency
        return None
    return int(psutil.virtual_memory().available / 2**20)


def banner(plan: ServePlan) -> str:
    """What the trainer reads at start: where to open the course, who can reach it, what it needs."""
    from communitylab.serve.address import lan_addresses, qr_text
    from communitylab.serve.plan import LESSON_KERNEL_MB, SERVER_MB

    local = f"http://127.0.0.1:{plan.port}/voila/render/{LANDING}"
    lines = [
        "Community Lab is starting.",
        f"  Open {local}",
        f"  Chinese: {local}?lang=zh_CN    Course map without a kernel: http://127.0.0.1:{plan.port}/",
    ]
    if not plan.is_loopback:
        host = plan.host if plan.host not in ("0.0.0.0", "::") else (lan_addresses() or ["<this laptop's address>"])[0]
        room_url = f"http://{host}:{plan.port}/?token={plan.token}"
        lines += [
            "",
            f"  Learners open {room_url}",
            f"  (access token: {plan.token}; anyone on this network with it can use the course)",
            qr_text(room_url).rstrip("\n"),
        ]
    pools = plan.pool_targets()
    memory = plan.memory_mb()
    lines += [
        "",
        f"  Kernels: at most {plan.kernel_cap} alive at once ({sum(pools.values())} wanted preheated over "
        f"{len(pools)} pages); the next learner sees 'the room is full, retry in a minute'.",
        f"  Memory needed: about {memory / 1024:.1f} GB ({plan.kernel_cap} kernels x {LESSON_KERNEL_MB} MB, "
        f"a lesson kernel's measured RSS, + {SERVER_MB} MB for the server).",
    ]
    available = _available_mb()
    if available is not None and memory > available:
        lines.append(
            f"  WARNING: only {available / 1024:.1f} GB is free now; lower --room or --max-kernels, "
            "or the laptop will swap."
        )
    lines += [
        f"  Kernels of closed pages are shut down {plan.disconnected_grace_s:.0f} s after their page goes.",
        "  Stop with Ctrl+C (every kernel stops with the server).",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Serve the course until Ctrl+C or SIGTERM."""
    root = Path(args.root).resolve()
    if not (root / LANDING).exists():
        print(
            f"communitylab present: no {LANDING} under {root}; run it from the course folder or pass --root",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        plan = plan_from_args(args)
    except ValueError as error:
        print(f"communitylab present: {error}", file=sys.stderr)
        return EXIT_USAGE
    from communitylab.serve.address import served_hosts
    from communitylab.serve.app import run as serve

    print(banner(plan), flush=True)
    try:
        return serve(plan, served_hosts(plan.host, plan.extra_hosts))
    except KeyboardInterrupt:
        return 0
