"""Model 3 (participation and the death spiral) as a Mesa 3 agent-based model.

This is the comparison implementation for ``communitylab.models.participation``: one
``Member`` agent per person, stepping day by day, with the same equations written out
again from the design note rather than imported, so that agreement between the two is
evidence that both implement the note. Where the numpy kernel carries expected values
(a member's presence as a probability, posts as a rate), the agents live one actual
history: they post a Poisson number of messages each day, leave for good with a coin
flip, and check in or not. The two therefore agree in distribution, not run by run.

The same rules vectorised over members in numpy are
:func:`communitylab.models.participation.simulate_agents`; ``participation_equivalence.py``
shows that the two give the same distributions and ``bench_participation.py`` times
Mesa, that kernel and the mean field side by side.

Mesa is an optional dependency (the ``bench`` extra); nothing under ``src/`` imports
this module.

Usage::

    from mesa_participation import ParticipationModel, run_abm
    outcome = run_abm(Params(members=1000), seed=0)   # dict of daily arrays + member posts
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from communitylab.models.participation import QUIET_FRACTION, Params

__all__ = ["Member", "ParticipationModel", "run_abm", "abm_summary"]

#: Below this daily mean a Poisson count is drawn by inversion with the stdlib generator
#: (a few multiplications); above it numpy's generator is faster and exact.
_INVERSION_LIMIT = 30.0


class Member(mesa.Agent):
    """One group member.

    Attributes
    ----------
    rate : float
        Own posting rate at full novelty, without feedback (posts/day).
    threshold : float
        Buzz (posts/day) at or above which the member follows the group.
    present : bool
        Still in the group (has not left or muted it for good).
    engaged : bool
        Followed the group today.
    posts : int
        Posts written so far.
    """

    def __init__(self, model: ParticipationModel, rate: float, threshold: float) -> None:
        super().__init__(model)
        self.rate = rate
        self.threshold = threshold
        self.present = True
        self.engaged = True
        self.posts = 0

    def step(self) -> None:
        """Live one day: follow the group or not, post, check in, maybe leave."""
        model = self.model
        if not self.present:
            return
        # Launch day: everyone looks in, whatever their threshold.
        self.engaged = model.day == 0 or self.threshold <= model.buzz
        if self.engaged:
            model.engaged_today += 1
            written = model.poisson(self.rate * model.urge)
            self.posts += written
            model.posts_today += written
        if model.checkin_today and model.random.random() < model.params.checkin_share:
            model.posts_today += model.params.checkin_weight
        if not self.engaged and model.random.random() < model.leave_chance:
            self.present = False
            model.present_count -= 1


class ParticipationModel(mesa.Model):
    """The whole group: global buzz, habit and crowding-out; members step once a day.

    Parameters
    ----------
    params : Params
        The same parameters as the numpy kernel.
    seed : int
        Seed of the members' rates and thresholds, drawn exactly as the kernel draws
        them, so a seed gives both implementations the same people.
    chance_seed : int, optional
        Seed of the agents' daily chance events (Mesa's generators); defaults to
        ``seed``. Varying it replays the same people through other histories.
    """

    def __init__(self, params: Params, seed: int = 0, chance_seed: int | None = None) -> None:
        super().__init__(seed=seed if chance_seed is None else chance_seed)
        self.params = p = params
        members = np.random.default_rng(seed)
        rates = p.median_post_rate * np.exp(p.inequality * members.standard_normal(p.members))
        thresholds = np.sort(p.threshold_median * np.exp(p.threshold_spread * members.standard_normal(p.members)))
        for rate, threshold in zip(rates.tolist(), thresholds.tolist()):
            Member(self, rate, threshold)
        self.day = 0
        self.buzz = float(rates.sum())
        self.habit = 0.0
        self.motivation = 1.0  # crowding-out factor cw
        self.memory = math.exp(-1.0 / p.activity_memory)
        self.urge = 1.0
        self.leave_chance = p.leave_rate
        self.checkin_today = False
        self.posts_today = 0.0
        self.engaged_today = 0
        self.present_count = p.members
        self.daily: dict[str, list[float]] = {"posts_per_day": [], "engaged": [], "present": [], "habit": []}

    def poisson(self, mean: float) -> int:
        """One Poisson count with the given mean."""
        if mean >= _INVERSION_LIMIT:
            return int(self.rng.poisson(mean))
        threshold = math.exp(-mean)
        count, product = 0, self.random.random()
        while product > threshold:
            count += 1
            product *= self.random.random()
        return count

    def step(self) -> None:
        """One day: set today's urge to post, let every member act, update the buzz and habit."""
        p, t = self.params, self.day
        fresh = p.novelty_floor + (1.0 - p.novelty_floor) * math.exp(-((t / p.novelty_timescale) ** p.novelty_stretch))
        drive = fresh + self.habit * p.habit_strength * (1.0 - fresh)
        if p.event_every_days > 0 and t > 0 and t % p.event_every_days == 0:
            drive *= 1.0 + p.event_boost
        if p.red_packets:
            if t == p.red_packet_end:
                self.motivation *= 1.0 - p.crowd_out
            if p.red_packet_start <= t < p.red_packet_end:
                drive *= 1.0 + p.red_packet_boost
        feedback = 1.0 + p.activity_feedback * self.buzz / (self.buzz + p.feedback_half_point)
        self.urge = drive * feedback * self.motivation
        self.leave_chance = p.leave_rate * (1.0 - self.habit)
        self.checkin_today = p.checkin and t >= p.checkin_start
        self.posts_today = float(p.moderators * p.moderator_posts)
        self.engaged_today = 0
        present = self.present_count

        self.agents.do("step")

        self.daily["posts_per_day"].append(self.posts_today)
        self.daily["engaged"].append(self.engaged_today)
        self.daily["present"].append(present)
        self.daily["habit"].append(self.habit)
        if self.checkin_today:
            self.habit += p.habit_speed * p.checkin_share * (1.0 - self.habit)
        self.buzz = self.memory * self.buzz + (1.0 - self.memory) * self.posts_today
        self.day += 1


def run_abm(params: Params, seed: int = 0, chance_seed: int | None = None) -> dict[str, np.ndarray]:
    """Run the agent-based model for ``params.days`` days (arguments as :class:`ParticipationModel`).

    Returns
    -------
    dict
        ``posts_per_day``, ``engaged``, ``present``, ``habit``: ``(days,)`` arrays;
        ``member_posts``: ``(members,)`` array of each member's posts.
    """
    model = ParticipationModel(params, seed, chance_seed)
    for _ in range(params.days):
        model.step()
    out = {name: np.asarray(values, dtype=float) for name, values in model.daily.items()}
    out["member_posts"] = np.array([member.posts for member in model.agents], dtype=np.int64)
    return out


def abm_summary(outcome: dict[str, np.ndarray]) -> dict[str, float]:
    """The kernel's comparable monitors for one agent-based run (same definitions)."""
    posts = outcome["posts_per_day"]
    quiet = np.flatnonzero(posts < QUIET_FRACTION * posts[0])
    return {
        "quiet_day": float(quiet[0]) if quiet.size else float("nan"),
        "went_quiet": 1.0 if quiet.size else 0.0,
        "engaged_last_day": float(outcome["engaged"][-1]),
        "posts_last_day": float(posts[-1]),
        "ever_posted_pct": float(100.0 * np.count_nonzero(outcome["member_posts"]) / outcome["member_posts"].size),
    }


def compare_with_kernel(params: Params, seeds, replicas: int = 3) -> dict[str, object]:
    """Run the numpy kernel and the agent-based model on the same members and compare.

    For each seed the kernel runs once (it carries expected values) and the agents run
    ``replicas`` times with different chance seeds (same people, other histories).

    Parameters
    ----------
    params : Params
        Parameters shared by both implementations.
    seeds : iterable of int
        Member seeds.
    replicas : int
        Agent-based histories per seed.

    Returns
    -------
    dict
        ``figures``: for each compared figure, ``{"kernel": mean over seeds, "abm": mean
        over seeds and replicas}`` (``went_quiet`` is the share of runs that went quiet,
        ``mean_posts_per_day`` the average over all days); ``per_seed``: a list with,
        for each seed, the kernel's quiet day and the agents' quiet days (NaN = never),
        the kernel's mean posts/day and the agents' mean over replicas.
    """
    from communitylab.models.participation import simulate  # the kernel under comparison

    seeds = list(seeds)
    kernel_rows, abm_rows, per_seed = [], [], []
    for seed in seeds:
        result = simulate(params, seed)
        kernel = result.summary()
        kernel["mean_posts_per_day"] = float(result.posts_per_day.mean())
        kernel_rows.append(kernel)
        histories = [run_abm(params, seed, chance_seed=10_000 + replica) for replica in range(replicas)]
        agent_rows = []
        for history in histories:
            row = abm_summary(history)
            row["mean_posts_per_day"] = float(history["posts_per_day"].mean())
            agent_rows.append(row)
        abm_rows.extend(agent_rows)
        per_seed.append(
            {
                "seed": seed,
                "kernel_quiet_day": kernel["quiet_day"],
                "abm_quiet_days": [row["quiet_day"] for row in agent_rows],
                "kernel_mean_posts_per_day": kernel["mean_posts_per_day"],
                "abm_mean_posts_per_day": float(np.mean([row["mean_posts_per_day"] for row in agent_rows])),
            }
        )

    def mean(rows, key):
        return float(np.mean([row[key] for row in rows]))

    def median_quiet(rows):
        days = [row["quiet_day"] for row in rows if row["went_quiet"]]
        return float(np.median(days)) if days else float("nan")

    figures = {
        key: {"kernel": mean(kernel_rows, key), "abm": mean(abm_rows, key)}
        for key in ("mean_posts_per_day", "engaged_last_day", "ever_posted_pct", "went_quiet")
    }
    figures["median_quiet_day"] = {"kernel": median_quiet(kernel_rows), "abm": median_quiet(abm_rows)}
    return {"figures": figures, "per_seed": per_seed}
