"""Model 5: personal brand, filling a WeChat group through a QR code (module 05).

An operator posts a group QR code. Join attempts come in two ways:

* **Direct wave.** ``n0 ~ Poisson(F * reach * join)`` followers see the post and
  scan; their attempt times are independent ``Exp(tau_view)`` (hours), because
  attention to a post decays fast.
* **Forwarding.** Every person who scans also shares the poster: they bring
  ``Poisson(R)`` further attempts, each ``Exp(tau_fwd)`` hours later, with the
  reproduction number ``R = fwd * k_fwd * reach2 * join2``. This is the
  independent cascade of Kempe, Kleinberg & Tardos (2003) on a tree, i.e. a
  Galton-Watson branching process: subcritical (``R < 1``) cascades stay small,
  as Goel, Watts & Goldstein (2012) observed for almost all online diffusion.

Attempts after the QR code expires (``expiry_h``) are lost. The first
``qr_cap`` attempts join by scanning; after that the code stops working and each
later attempt succeeds only by invitation from a member, with probability
``q_inv`` after a further ``Exp(tau_inv)`` hours. Forwarding goes on regardless.
Each Monte Carlo run reports the hour of the ``qr_cap``-th join (the scan limit,
``t_200`` with WeChat's reported limit) and of the ``seats``-th join (a full
group, ``t_500``); ``inf`` when it never happens.

How it is computed, fast (a naive prototype took 1.8 s for an influencer): the
direct scans are drawn in :mod:`.direct`, the forwarding cascade is followed in
:mod:`.cascade`, and :mod:`.seats` keeps each run's scanners and invitation joins.

Spec shorthand -> names here: F followers, reach reach, join join_rate,
tau_view view_timescale_h, fwd forward_share, k_fwd forward_audience, reach2
second_reach, join2 second_join, tau_fwd forward_delay_h, qr_cap scan_cap,
seats seats, q_inv invite_success, tau_inv invite_delay_h, expiry_h qr_expiry_h,
R runs.

WeChat's limits (500 members, scan limit 200, 7-day QR validity) are commonly
reported, not verified to an official page. Sources and course assumptions:
:data:`SOURCES` and :data:`ASSUMPTIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from communitylab.models._model import Assumption, Evidence, FloatArray, IntArray, Model, ModelResult, Source
from communitylab.models._params import ModelParams, param
from communitylab.models.brand.cascade import follow_forwards
from communitylab.models.brand.direct import direct_wave
from communitylab.models.brand.seats import Seats

__all__ = ["MODEL", "Params", "Result", "simulate", "sweep", "fill_probability", "CURVE_POINTS"]

#: Points of the fill-probability curves.
CURVE_POINTS = 201


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of the QR-code group-fill model. Times are in hours."""

    model: ClassVar[str] = "brand"

    # Your audience (direct wave)
    followers: int = param(300, unit="people", lo=1, hi=10_000_000, step=1, integer=True, group="audience", log=True)
    reach: float = param(0.3, unit="fraction", lo=0, hi=1, step=0.01, group="audience")
    join_rate: float = param(0.1, unit="fraction", lo=0, hi=1, step=0.01, group="audience")
    view_timescale_h: float = param(3.0, unit="hours", lo=0.05, hi=72, step=0.05, group="audience", log=True)
    # Forwarding (the cascade)
    forward_share: float = param(0.2, unit="fraction", lo=0, hi=1, step=0.01, group="forwarding")
    forward_audience: float = param(150.0, unit="people", lo=1, hi=5000, step=1, group="forwarding", log=True)
    second_reach: float = param(0.1, unit="fraction", lo=0, hi=1, step=0.01, group="forwarding")
    second_join: float = param(0.1, unit="fraction", lo=0, hi=1, step=0.01, group="forwarding")
    forward_delay_h: float = param(4.0, unit="hours", lo=0.1, hi=72, step=0.1, group="forwarding", log=True)
    # WeChat's rules
    scan_cap: int = param(200, unit="members", lo=1, hi=500, step=1, integer=True, group="wechat")
    seats: int = param(500, unit="members", lo=1, hi=500, step=1, integer=True, group="wechat")
    invite_success: float = param(0.5, unit="probability", lo=0, hi=1, step=0.01, group="wechat")
    invite_delay_h: float = param(2.0, unit="hours", lo=0, hi=48, step=0.1, group="wechat")
    qr_expiry_h: float = param(168.0, unit="hours", lo=1, hi=168, step=1, group="wechat")
    # Simulation
    runs: int = param(1000, unit="runs", lo=50, hi=5000, step=50, integer=True, group="simulation")

    @property
    def reproduction_number(self) -> float:
        """Mean further join attempts each scanner brings by forwarding, ``R = fwd * k_fwd * reach2 * join2``."""
        return self.forward_share * self.forward_audience * self.second_reach * self.second_join

    @property
    def expected_direct(self) -> float:
        """Mean number of followers who scan the code directly, ``F * reach * join`` (people)."""
        return self.followers * self.reach * self.join_rate

    @property
    def scan_joins(self) -> int:
        """Members who can join by scanning: the scan limit, or the group size if that is smaller."""
        return min(self.scan_cap, self.seats)


#: Published works the model takes forms or numbers from.
SOURCES = (
    Source(
        "Kempe, Kleinberg & Tardos (2003) Maximizing the spread of influence through a social network, "
        "Proc. 9th ACM SIGKDD, 137-146",
        "the independent cascade; on a tree a Galton-Watson process (a single scan stays alone with "
        "probability e^-R, a chain has 1/(1 - R) people on average; the tests check both)",
        Evidence.RECALLED,
    ),
    Source(
        "Goel, Watts & Goldstein (2012) The structure of online diffusion networks, Proc. 13th ACM "
        "Conference on Electronic Commerce",
        "almost all online cascades are small and end within one step of the seed: R below 1 by default "
        "(abstract checked)",
        fields=("forward_share", "forward_audience", "second_reach", "second_join"),
    ),
    Source(
        "WeChat: a group holds at most 500 members",
        "the default group size",
        Evidence.COMMONLY_REPORTED,
        ("seats",),
    ),
    Source(
        "WeChat: joining by scanning stops at 200 members, later members need an invitation "
        "(third-party pages disagree, some say 100)",
        "the default scan limit",
        Evidence.COMMONLY_REPORTED,
        ("scan_cap",),
    ),
    Source(
        "WeChat: a group QR code is valid for 7 days (a WeChat team statement, seen only in a secondary copy)",
        "the default and longest code validity",
        Evidence.SECONDARY,
        ("qr_expiry_h",),
    ),
)
#: What the model rests on without a published source: course assumptions.
ASSUMPTIONS = (
    Assumption(
        "audience reach and joining, attention and forwarding delays, forwarding rates and invitation "
        "success are teaching defaults",
        (
            "reach",
            "join_rate",
            "view_timescale_h",
            "forward_share",
            "forward_audience",
            "second_reach",
            "second_join",
            "forward_delay_h",
            "invite_success",
            "invite_delay_h",
        ),
    ),
)


@dataclass(frozen=True)
class Result(ModelResult):
    """Outcome of ``params.runs`` Monte Carlo runs.

    Attributes
    ----------
    hours_to_scan_cap : (runs,) ndarray of float
        Hour of the ``scan_joins``-th join in each run (``t_200``); ``inf`` if never.
    hours_to_full : (runs,) ndarray of float
        Hour of the ``seats``-th join in each run (``t_500``); ``inf`` if never.
    direct_scanners : (runs,) ndarray of int
        Followers who scanned directly in each run (``n0``), expired or not.
    attempts_followed : (runs,) ndarray of int
        Join attempts the simulation accounted for: every direct scan after the
        scan limit plus the earlier ones before the expiry, and the forwarded
        attempts it followed. Forwarded attempts that could no longer change a
        run's fill times are not followed, so for a run that fills this is less
        than all attempts.
    hours : (CURVE_POINTS,) ndarray of float
        Time grid of the fill curves (hours).
    scan_cap_probability, full_probability : (CURVE_POINTS,) ndarray of float
        Share of runs that reached the scan limit / a full group by each hour.
    approximate_runs : int
        Runs whose fill times are upper bounds rather than exact (a budget or the
        direct-wave truncation cut attempts that might have mattered).
    """

    params: Params
    hours_to_scan_cap: FloatArray
    hours_to_full: FloatArray
    direct_scanners: IntArray
    attempts_followed: IntArray
    hours: FloatArray
    scan_cap_probability: FloatArray
    full_probability: FloatArray
    approximate_runs: int

    SERIES = ("scan_cap_probability", "full_probability")

    def summary(self) -> dict[str, float]:
        """Monitor values over the runs.

        ``scan_cap_median_h``, ``scan_cap_p10_h``, ``scan_cap_p90_h`` and
        ``full_median_h``, ``full_p10_h``, ``full_p90_h`` (hours; ``inf`` when
        fewer than that share of runs got there), ``reach_scan_cap_pct`` and
        ``fill_pct`` (% of runs), ``direct_scanners_mean`` (people),
        ``reproduction_number`` (R).
        """
        out: dict[str, float] = {}
        for name, times in (("scan_cap", self.hours_to_scan_cap), ("full", self.hours_to_full)):
            # inverted_cdf picks an observed value, so runs that never fill (inf) give inf, never NaN
            p10, p50, p90 = np.quantile(times, [0.1, 0.5, 0.9], method="inverted_cdf")
            out[f"{name}_median_h"] = float(p50)
            out[f"{name}_p10_h"] = float(p10)
            out[f"{name}_p90_h"] = float(p90)
        out["reach_scan_cap_pct"] = float(100 * np.isfinite(self.hours_to_scan_cap).mean())
        out["fill_pct"] = float(100 * np.isfinite(self.hours_to_full).mean())
        out["direct_scanners_mean"] = float(self.direct_scanners.mean())
        out["reproduction_number"] = float(self.params.reproduction_number)
        return out


def fill_probability(times: FloatArray, hours: FloatArray) -> FloatArray:
    """Share of runs whose time is at most each hour (empirical CDF; ``inf`` never counts)."""
    ordered = np.sort(times)
    return np.searchsorted(ordered, hours, side="right") / max(times.size, 1)


def _simulate(p: Params, seed: int) -> Result:
    """``p.runs`` independent QR-code launches: per-run fill times and the fill-probability curves."""
    rng = np.random.default_rng(seed)
    wave = direct_wave(p, rng)
    seats = Seats(wave.first.copy(), wave.first_joins, wave.late, p.seats - p.scan_joins)
    followed, cut_short = follow_forwards(p, wave, seats, rng)
    t_cap, t_full = seats.t_cap, seats.t_full
    # forwards of the direct arrivals beyond the budget are not followed; they come after the cap-th arrival
    approximate = wave.cut | cut_short | ((wave.tail > 0) & (t_full > wave.cap_direct))
    direct_followed = np.isfinite(wave.first).sum(axis=1) + wave.later
    finite = np.concatenate([t_cap[np.isfinite(t_cap)], t_full[np.isfinite(t_full)]])
    horizon = float(finite.max()) * 1.05 if finite.size else p.qr_expiry_h
    hours = np.linspace(0.0, horizon, CURVE_POINTS)
    return Result(
        params=p,
        hours_to_scan_cap=t_cap,
        hours_to_full=t_full,
        direct_scanners=wave.scanners,
        attempts_followed=direct_followed + followed,
        hours=hours,
        scan_cap_probability=fill_probability(t_cap, hours),
        full_probability=fill_probability(t_full, hours),
        approximate_runs=int(approximate.sum()),
    )


MODEL = Model(Params, Result, _simulate, sources=SOURCES, assumptions=ASSUMPTIONS)
simulate = MODEL.simulate
sweep = MODEL.sweep
