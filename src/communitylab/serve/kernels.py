"""Kernels for a room: preheated pools under a cap, a place for each learner or a clear "full", culling of closed pages.

Voila 0.5 refills a notebook's pool every time a preheated kernel is used, so a
room of 20 would end with 20 kernels in use plus 20 more waiting, and it culls
only after a fixed idle time counted from the kernel's last message. This
manager sits on top of Voila's pooled manager (:func:`room_kernel_manager`) and

* sizes every refill so that kernels in use + kernels pooled + kernels starting
  never exceed ``max_kernels`` (lessons listed first in ``pool_targets`` fill first);
* admits a page that needs a new kernel only when there is room for it, taking a
  pooled kernel of another notebook back if needed (:meth:`admit`);
* shuts down a kernel once its page has had no websocket connection for
  ``disconnected_grace`` seconds (a closed tab, a dropped laptop), counted from its
  last disconnect, or, for a kernel never connected, from when the culler first saw
  it unattended, so a kernel just handed out of the pool is not taken before its
  browser connects;
* tops the pools up whenever a kernel goes.
"""

from __future__ import annotations

import asyncio
import contextvars
import time

from traitlets import Dict, Float, Integer

__all__ = ["room_kernel_manager", "Admission", "release_admission"]


class Admission:
    """One page's claim on a kernel slot, from the request until its kernel exists."""

    def __init__(self, manager) -> None:
        self.manager, self.open = manager, True
        manager._claims += 1

    def release(self) -> None:
        """Give the slot back (the page got its kernel, or it failed before asking)."""
        if self.open:
            self.open = False
            self.manager._claims -= 1


#: The admission of the request being served, read when that request starts its kernel.
_admission: contextvars.ContextVar[Admission | None] = contextvars.ContextVar("communitylab_admission", default=None)


def release_admission() -> None:
    """Release the current request's claim if its kernel never started (called when the request ends)."""
    claim = _admission.get()
    if claim is not None:
        claim.release()
        _admission.set(None)


def room_kernel_manager(voila_manager: type) -> type:
    """A subclass of Voila's kernel manager class (pooled or not) that keeps the room's limits."""

    class RoomKernelManager(voila_manager):
        max_kernels = Integer(0, config=True, help="Most kernels alive at once, pools included (0: no cap).")
        pool_targets = Dict(config=True, help="Notebook -> preheated kernels wanted, in priority order.")
        disconnected_grace = Float(60.0, config=True, help="Seconds a kernel may stay without a page.")

        def __init__(self, **kwargs) -> None:
            # Set before Voila's __init__, which fills the pools through our fill_if_needed.
            self._claims = 0
            self._cold_starting = 0
            self._unattended_since: dict[str, float] = {}
            super().__init__(**kwargs)

        # -- counting ---------------------------------------------------------------
        def _pool_tasks(self):
            for pool in getattr(self, "_pools", {}).values():
                yield from pool

        def pooled_kernel_ids(self) -> set[str]:
            """Kernels started for a pool and not yet handed to a page."""
            ids = set()
            for task in self._pool_tasks():
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result()["kernel_id"])
            return ids

        def kernels_alive(self) -> int:
            """Kernels running or on their way: registered, pooled and starting, or claimed by a page."""
            pending = sum(1 for task in self._pool_tasks() if not task.done())
            return len(self.list_kernel_ids()) + pending + self._cold_starting + self._claims

        def free_slots(self) -> int:
            """How many more kernels may start now (a large number when there is no cap)."""
            return self.max_kernels - self.kernels_alive() if self.max_kernels else 1_000_000

        # -- pools --------------------------------------------------------------------
        def _allowed_pool_sizes(self) -> dict[str, int]:
            """Pool size each notebook may reach now, the free slots given out in priority order."""
            free = self.free_slots()
            sizes = {}
            for name, wanted in self.pool_targets.items():
                have = len(getattr(self, "_pools", {}).get(name, []))
                extra = max(0, min(wanted - have, free))
                free -= extra
                sizes[name] = have + extra
            return sizes

        def fill_if_needed(self, *args, **kwargs):
            # Voila reads each pool's size from kernel_pools_config when it refills: set it to what the cap allows.
            name = kwargs.get("notebook_name")
            size = self._allowed_pool_sizes().get(name, 0)
            self.kernel_pools_config[name] = {"pool_size": size}
            return super().fill_if_needed(*args, **kwargs)

        def top_up_pools(self) -> None:
            """Start pooled kernels where the cap now allows more."""
            if hasattr(self, "_pools"):
                for name in self.pool_targets:
                    self.fill_if_needed(notebook_name=name)

        # -- admission ----------------------------------------------------------------
        async def admit(self, notebook: str) -> bool:
            """Whether a page of ``notebook`` may have a kernel now; claims a slot for it if it needs a new one."""
            if hasattr(self, "get_pool_size") and self.get_pool_size(notebook) > 0:
                return True  # served from its pool; the refill is capped in fill_if_needed
            claim = Admission(self)  # claimed before evicting, so the freed slot is not refilled first
            if self.max_kernels and self.kernels_alive() > self.max_kernels:
                evicted = await self._evict_pooled_kernel()
                if not evicted or self.kernels_alive() > self.max_kernels:
                    claim.release()
                    return False
            _admission.set(claim)
            return True

        async def _evict_pooled_kernel(self) -> bool:
            """Shut down one waiting kernel, from the lowest-priority pool that has one."""
            pools = getattr(self, "_pools", {})
            pooled = self.pooled_kernel_ids()
            order = [name for name in pools if name not in self.pool_targets] + list(self.pool_targets)[::-1]
            for name in order:
                for task in pools.get(name, []):
                    if task.done() and not task.cancelled() and task.exception() is None:
                        kernel_id = task.result()["kernel_id"]
                        if kernel_id in pooled:
                            await self.shutdown_kernel(kernel_id)
                            return True
            return False

        async def start_kernel(self, *args, **kwargs):
            claim = _admission.get()
            cold = kwargs.get("env", {}).get("VOILA_PREHEAT") != "True"
            if cold:
                self._cold_starting += 1
                if claim is not None:
                    claim.release()  # the slot is now counted as a starting kernel
            try:
                return await super().start_kernel(*args, **kwargs)
            finally:
                if cold:
                    self._cold_starting -= 1

        async def shutdown_kernel(self, kernel_id: str, *args, **kwargs):
            self._unattended_since.pop(kernel_id, None)
            try:
                return await super().shutdown_kernel(kernel_id, *args, **kwargs)
            finally:
                # after a short delay (Voila's fill_delay), so a burst of closing tabs refills once
                asyncio.get_event_loop().call_soon(self.top_up_pools)

        # -- culling ------------------------------------------------------------------
        def notify_connect(self, kernel_id: str) -> None:
            self._unattended_since.pop(kernel_id, None)
            return super().notify_connect(kernel_id)

        def notify_disconnect(self, kernel_id: str) -> None:
            result = super().notify_disconnect(kernel_id)
            if not self._kernel_connections.get(kernel_id, 0):
                self._unattended_since[kernel_id] = time.monotonic()  # the grace runs from the last disconnect
            return result

        async def cull_kernel_if_idle(self, kernel_id: str):
            if kernel_id in self.pooled_kernel_ids():
                return None
            kernel = self._kernels[kernel_id]
            if getattr(kernel, "execution_state", None) == "dead":
                self.log.warning("Shutting down dead kernel %s", kernel_id)
                return await self.shutdown_kernel(kernel_id)
            if self._kernel_connections.get(kernel_id, 0):
                self._unattended_since.pop(kernel_id, None)
                return None
            now = time.monotonic()
            since = self._unattended_since.setdefault(kernel_id, now)
            if now - since >= self.disconnected_grace and kernel.execution_state != "busy":
                self.log.info("Shutting down kernel %s: no page connected for %d s", kernel_id, now - since)
                return await self.shutdown_kernel(kernel_id)
            return None

    return RoomKernelManager
