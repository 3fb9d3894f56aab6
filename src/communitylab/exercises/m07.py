"""Exercises of module 07: a community's health read from its chat export (``communitylab.data``).

Texts are in the catalogs ``ex07.toml``. Expected values are computed from the
bundled synthetic datasets (``datasets/``) with the same importer and metrics the
dashboard uses, and the simulation target measures the dashboard of the chat log
that a run of the participation model writes (as the lab's *Compare* does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from communitylab.exercises.declare import plan_exercise, wrong_answers
from communitylab.exercises.problem import Exercise, Function, Goal, Known, Value
from communitylab.exercises.view import bind

SETUP = (
    "from communitylab.data.bundled import bundled_files\n"
    "from communitylab.data.importers import read_chat\n"
    "from communitylab.data.metrics import compute_all\n"
    "files = bundled_files()"
)

#: Kinds that are service events, not messages someone wrote (as in ``communitylab.data.schema``).
EVENTS = ("system", "join", "leave")
#: Seeds of the simulation target: each run writes a whole chat log, so three keep a check near a second.
SEEDS = (0, 1, 2)


def _table(name: str):
    from communitylab.data.bundled import bundled_files
    from communitylab.data.importers import read_chat

    return read_chat(bundled_files()[name])[0]


def _summary(name: str) -> dict:
    from communitylab.data.metrics import compute_all

    return compute_all(_table(name)).summary()


def _reply_share(messages):
    written = messages[~messages["kind"].isin(EVENTS) & ~messages["is_bot"]]
    return float(written["reply_to"].notna().mean())


def _reply_cases():
    return tuple((_table(name),) for name in ("telegram-launch/result.json", "discord-moderated/discord.json"))


def _same_pseudonyms() -> int:
    android, ios = _table("whatsapp-club/chat-android.txt"), _table("whatsapp-club/chat-ios.txt")
    return len(set(android["author_id"].dropna()) & set(ios["author_id"].dropna()))


@dataclass(frozen=True)
class Dashboard:
    """What the simulation target measures: a plan and the dashboard of the chat log its run writes."""

    params: Any
    metrics: Any

    def summary(self) -> dict:
        return self.metrics.summary()


def _dashboard(params, seed: int) -> Dashboard:
    """Run the participation model, write its chat log and compute the dashboard (the lab's *Compare*)."""
    from communitylab.data.metrics import compute_all
    from communitylab.data.synthetic import generate_community

    return Dashboard(params, compute_all(generate_community(params, seed=seed).messages))


def _pct(key: str):
    def measure(run: Dashboard) -> float:
        return 100.0 * run.summary()[key]

    return measure


EXERCISES = (
    Exercise(
        id="m07.q1",
        name="week1_retention",
        check=Value(lambda: _summary("discord-moderated/discord.json")["week1_retention"], abs_tol=0.01),
        solution=(
            'discord = compute_all(read_chat(files["discord-moderated/discord.json"])[0]).summary()\n'
            'week1_retention = discord["week1_retention"]'
        ),
        known_wrong=(
            Known("percent", answer=lambda: 100 * _summary("discord-moderated/discord.json")["week1_retention"]),
            Known(
                "stickiness",
                answer=lambda: _summary("discord-moderated/discord.json")["stickiness"],
                tolerance=0.005,
            ),
            Known(
                "left",
                answer=lambda: 1 - _summary("discord-moderated/discord.json")["week1_retention"],
                tolerance=0.01,
            ),
        ),
    ),
    Exercise(
        id="m07.q2",
        name="reply_share",
        check=Function(_reply_share, cases=_reply_cases),
        solution=(
            "def reply_share(messages):\n"
            '    written = messages[~messages["kind"].isin(["system", "join", "leave"]) & ~messages["is_bot"]]\n'
            '    return written["reply_to"].notna().mean()'
        ),
        known_wrong=(
            Known("all_rows", answer=lambda m: float(m["reply_to"].notna().mean())),
            Known("count", answer=lambda m: float(_reply_share(m) * (~m["kind"].isin(EVENTS) & ~m["is_bot"]).sum())),
            Known("openings", answer=lambda m: 1 - _reply_share(m)),
        ),
    ),
    Exercise(
        id="m07.q3",
        name="same_pseudonyms",
        check=Value(_same_pseudonyms),
        starter=(
            'android = read_chat(files["whatsapp-club/chat-android.txt"])[0]\n'
            'ios = read_chat(files["whatsapp-club/chat-ios.txt"])[0]\n'
            "same_pseudonyms = ____"
        ),
        solution=(
            'android = read_chat(files["whatsapp-club/chat-android.txt"])[0]\n'
            'ios = read_chat(files["whatsapp-club/chat-ios.txt"])[0]\n'
            'same_pseudonyms = len(set(android["author_id"].dropna()) & set(ios["author_id"].dropna()))'
        ),
        known_wrong=(
            Known("none", answer=0),
            Known("rows", when=lambda answer: isinstance(answer, (int, float)) and answer > 1000, example=2931),
        ),
    ),
    Exercise(
        id="m07.q4",
        name="reading",
        check=Value("b"),
        starter=(
            'discord = compute_all(read_chat(files["discord-moderated/discord.json"])[0]).summary()\n'
            'club = compute_all(read_chat(files["whatsapp-club/chat-android.txt"])[0]).summary()\n'
            'reading = ____   # "a", "b" or "c"'
        ),
        solution=(
            'discord = compute_all(read_chat(files["discord-moderated/discord.json"])[0]).summary()\n'
            'club = compute_all(read_chat(files["whatsapp-club/chat-android.txt"])[0]).summary()\n'
            'for key in ("stickiness", "week1_retention", "median_reply_seconds", "operator_share"):\n'
            "    print(key, round(discord[key], 2), round(club[key], 2))\n"
            'reading = "b"   # same stickiness; the club keeps its newcomers and answers within minutes'
        ),
        known_wrong=wrong_answers(stickiness="a", slow_is_deep="c"),
    ),
    plan_exercise(
        "m07.q5",
        "dashboard_plan",
        "participation",
        {"checkin": True, "checkin_share": 0.6, "moderators": 3, "event_every_days": 0},
        scenario={"members": 200, "days": 120},
        seeds=SEEDS,
        run=_dashboard,
        goals=(
            Goal("week1_retention", _pct("week1_retention"), at_least=70.0, unit="%", digits=0),
            Goal("churn", _pct("churn_rate"), at_most=40.0, unit="%", digits=0),
            Goal("moderators", lambda run: run.params.moderators, at_most=3.0, unit="people", digits=0),
        ),
        wrong=(
            ("over_budget", lambda plan: plan["moderators"] > 3, {"moderators": 8}),
            ("no_ritual", lambda plan: not plan["checkin"], {"moderators": 3, "event_every_days": 7}),
            ("small_ritual", lambda plan: plan["checkin_share"] < 0.4, {"checkin": True, "checkin_share": 0.2}),
            ("ritual_alone", lambda plan: plan["moderators"] == 0, {"checkin": True}),
        ),
    ),
)

q1, q2, q3, q4, q5 = bind(EXERCISES)
