"""The agent-level kernel of the participation model: every member lives one history of their own.

This kernel follows the rules of the Mesa agent-based model in ``benchmarks/mesa_participation.py``
(one ``Member`` agent per person), vectorised over the members of a day instead of
stepping them one by one. Each day, with the buzz ``B`` of the start of the day:

* the urge to post is ``mult(t)`` of the equations in :mod:`.model` (novelty with habit,
  events, red packets, crowding-out, times the feedback of ``B``);
* a member who is still present follows the group if their threshold is at most ``B``
  (everyone on the launch day) and then writes ``Poisson(rate_i * mult)`` posts;
* on check-in days each present member checks in with probability ``checkin_share``,
  adding ``checkin_weight`` to the day's posts;
* a present member who did not follow the group leaves for good with probability
  ``leave_rate * (1 - habit)``;
* the day's posts (members, moderators, check-ins) update the buzz and, on check-in
  days, the habit grows by ``habit_speed * checkin_share`` of its gap to 1.

Where it differs from the Mesa model, and why that changes no distribution:

* **Order.** Mesa steps the members one after another; here a day's members act at once.
  No member reads anything another member changes during the day (the buzz, the urge
  and the chance to leave are fixed for the day; the day's total is read only after
  everyone acted), so the order cannot change any outcome.
* **Check-ins** are drawn as one ``Binomial(present, checkin_share)`` count per day rather
  than one coin per member: a check-in changes no member's state, so only the count
  matters, and the count of independent coins is exactly that binomial.
* **Random numbers.** One numpy generator, drawn in whole arrays, instead of Mesa's Python
  ``random`` for coins and small Poisson counts: the same laws, other draws, so the two
  agree in distribution and not history by history.
* **Habit** comes in closed form, ``1 - (1 - k p) ** d`` after ``d`` ritual days, where the
  Mesa model multiplies day by day: equal up to rounding (about 1e-16).

The members themselves (rates and thresholds) are drawn exactly as the mean-field kernel
and the Mesa model draw them (:func:`~.drivers.draw_members`), so one seed gives all three
the same people.
"""

from __future__ import annotations

import math

import numpy as np

from communitylab.models._model import FloatArray, IntArray
from communitylab.models.participation.drivers import daily_schedules, draw_members
from communitylab.models.participation.model import Params, Result

__all__ = ["simulate_agents", "agent_days"]


def simulate_agents(params: Params, seed: int = 0, chance_seed: int | None = None) -> Result:
    """One history of the group with every member's own state (present, following, posts).

    Parameters
    ----------
    params : Params
        Model parameters, as for :func:`~communitylab.models.participation.simulate`.
    seed : int
        Seed of the members' rates and thresholds (the same people as the mean-field
        kernel and the Mesa model get from this seed).
    chance_seed : int, optional
        Seed of the daily chance events (posts, check-ins, leaving). By default they
        continue the member seed's generator; give other values to replay the same
        people through other histories.

    Returns
    -------
    Result
        Realised counts instead of expected values: ``posts_per_day`` (posts that day),
        ``engaged`` and ``present`` (members), ``member_posts`` (each member's posts).

    Raises
    ------
    ValueError
        If ``params`` are not participation parameters.
    """
    if not isinstance(params, Params):
        raise ValueError(f"expected {Params.model} Params, got {type(params).__name__}")
    rng = np.random.default_rng(seed)
    rate, threshold = draw_members(params, rng)
    chance = rng if chance_seed is None else np.random.default_rng(chance_seed)
    daily, member_posts = agent_days(params, rate, threshold, chance)
    return Result(
        params=params,
        day=np.arange(params.days),
        **daily,
        member_rate=rate,
        member_threshold=threshold,
        member_posts=member_posts,
    )


def agent_days(
    p: Params, rate: FloatArray, threshold: FloatArray, rng: np.random.Generator
) -> tuple[dict[str, FloatArray], IntArray]:
    """Step every member through ``p.days`` days.

    Parameters
    ----------
    p : Params
        Model parameters.
    rate : (members,) ndarray of float
        Intrinsic posting rates (posts/day).
    threshold : (members,) ndarray of float
        Engagement thresholds (posts/day), ascending: the members who follow the group
        on a day are the present ones among a prefix.
    rng : numpy.random.Generator
        Source of the daily chance events.

    Returns
    -------
    daily : dict of (days,) ndarray of float
        ``posts_per_day``, ``engaged``, ``present`` (at the start of the day), ``habit``
        and ``buzz`` (at the start of the day).
    member_posts : (members,) ndarray of int
        Posts each member wrote over the run.
    """
    n = p.members
    drive, _, _, habit = daily_schedules(p)
    leave_chance = p.leave_rate * (1.0 - habit)
    checkin_day = p.checkin & (np.arange(p.days) >= p.checkin_start)
    moderator_posts = p.moderators * p.moderator_posts
    rho = math.exp(-1.0 / p.activity_memory)
    alpha, half = p.activity_feedback, p.feedback_half_point

    present = np.ones(n, dtype=bool)
    member_posts = np.zeros(n, dtype=np.int64)
    posts, engaged, present_count, buzz = (np.empty(p.days) for _ in range(4))
    b = float(rate.sum())  # launch buzz: everyone's intrinsic rate at full novelty
    count = n
    for t in range(p.days):
        buzz[t] = b
        present_count[t] = count
        urge = drive[t] * (1.0 + alpha * b / (b + half))
        # Launch day: everyone looks in, whatever their threshold.
        k = n if t == 0 else int(np.searchsorted(threshold, b, side="right"))
        following = np.flatnonzero(present[:k])
        written = rng.poisson(rate[following] * urge)
        member_posts[following] += written
        today = float(written.sum()) + moderator_posts
        if checkin_day[t]:
            today += p.checkin_weight * int(rng.binomial(count, p.checkin_share))
        if k < n and leave_chance[t] > 0:
            idle = k + np.flatnonzero(present[k:])
            gone = idle[rng.random(idle.size) < leave_chance[t]]
            present[gone] = False
            count -= gone.size
        posts[t] = today
        engaged[t] = following.size
        b = rho * b + (1.0 - rho) * today
    daily = {"posts_per_day": posts, "engaged": engaged, "present": present_count, "habit": habit, "buzz": buzz}
    return daily, member_posts
