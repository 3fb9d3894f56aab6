"""Rebuild the bundled synthetic datasets and their data cards.

Every dataset is made by :func:`communitylab.data.synthetic.generate_community` (the
participation model of module 03 turned into a chat log) and written by
:mod:`communitylab.data.writers` in the layout of a real export tool. Nothing in them
comes from a real person. Same code, same seed, same bytes.

Usage: ``python datasets/build.py [NAME ...]`` (default: all).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Recipe:
    """How one dataset is made."""

    name: str
    title: str
    story: str
    params: dict
    options: dict
    files: dict[str, str]  # file name -> writer format key (see communitylab.data.writers.EXPORT_FORMATS)
    notes: list[str] = field(default_factory=list)


RECIPES: tuple[Recipe, ...] = (
    Recipe(
        name="wechat-study-group",
        title="WeChat study group with a daily check-in (Chinese)",
        story="A 250-member WeChat study group whose organisers start a daily check-in (打卡) ritual on "
        "launch day; on a typical day 30 % of the members still in the group check in.",
        params={"members": 250, "days": 90, "checkin": True, "checkin_share": 0.3},
        options={"seed": 101, "start": "2024-03-04", "tz": "Asia/Shanghai", "language": "zh"},
        files={"wechatmsg.csv": "wechat-wechatmsg", "pywxdump.csv": "wechat-pywxdump"},
        notes=[
            "WeChat links a reply to the message it answers only when the reply quotes it (引用回复); the generated "
            "replies are written as plain messages, so these files hold no quoted replies and count no replies.",
            "The check-in bot (打卡Bot) is an ordinary sender in WeChat exports: WeChat marks no bots.",
        ],
    ),
    Recipe(
        name="telegram-launch",
        title="Telegram group after launch (English): the death spiral",
        story="A 500-member Telegram group with the participation model's default settings (member posts "
        "thinned to about 3,000): loud in week one, quiet within a few months.",
        params={"members": 500, "days": 120},
        options={"seed": 202, "start": "2024-09-02", "tz": "Europe/Berlin", "language": "en", "target_messages": 3000},
        files={"result.json": "telegram"},
        notes=["Replies are `reply_to_message_id` links; joins and leaves are service messages."],
    ),
    Recipe(
        name="discord-moderated",
        title="Discord server with moderators and fortnightly events (English)",
        story="A 400-member Discord channel where three moderators post every day and an event is held every 14 days.",
        params={"members": 400, "days": 120, "moderators": 3, "moderator_posts": 2.0, "event_every_days": 14},
        options={
            "seed": 303,
            "start": "2024-01-08",
            "tz": "America/New_York",
            "language": "en",
            "target_messages": 1200,
        },
        files={"discord.json": "discord-json", "discord.csv": "discord-csv"},
        notes=[
            "Discord posts no leave messages, so leaves are not in these files.",
            "The CSV layout has no message ids, replies or bot flags; the JSON layout has all three.",
            'In the CSV layout a join is an ordinary row whose content is "Joined the server." (the exporter\'s '
            "text for it), so the importer counts it as a message.",
        ],
    ),
    Recipe(
        name="whatsapp-club",
        title="Small WhatsApp club (English, Android and iOS exports)",
        story="A 60-member hobby club on WhatsApp where members post often and fairly evenly.",
        params={"members": 60, "days": 120, "inequality": 1.2, "median_post_rate": 0.5, "threshold_median": 5.0},
        options={
            "seed": 404,
            "start": "2024-05-06",
            "tz": "America/Chicago",
            "language": "en",
            "target_messages": 3000,
            "reply_share": 0.45,
        },
        files={"chat-android.txt": "whatsapp", "chat-ios.txt": "whatsapp-ios"},
        notes=[
            "WhatsApp text exports carry no message ids, reply links or bot flags.",
            "Android: en-US 12-hour clock (`3/4/24, 9:15\u202fAM - Name: text`); iOS: day-first with seconds.",
        ],
    ),
    Recipe(
        name="slack-workspace",
        title="Slack community workspace with threads (English)",
        story="A 250-member Slack community channel with two hosts; replies are threads.",
        params={"members": 250, "days": 120, "moderators": 2, "moderator_posts": 1.5},
        options={
            "seed": 505,
            "start": "2024-02-05",
            "tz": "UTC",
            "language": "en",
            "target_messages": 2500,
            "reply_share": 0.5,
        },
        files={"slack-export.zip": "slack"},
        notes=["Day files are named by UTC date; replies sit in the thread of the message they answer."],
    ),
)


def _literal(value: object) -> str:
    """A value as the formatter writes it in the card's code (double-quoted strings)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _recipe_code(recipe: Recipe) -> list[str]:
    """The lines that rebuild the dataset, laid out as ``ruff format`` leaves them."""
    args = ", ".join(f"{k}={_literal(v)}" for k, v in recipe.params.items())
    return [
        "community = generate_community(",
        f"    participation.Params({args}),",
        *[f"    {k}={_literal(v)}," for k, v in recipe.options.items()],
        ")",
        *[f"write_export(community.messages, {_literal(f)}, {_literal(fmt)})" for f, fmt in recipe.files.items()],
    ]


def build(recipe: Recipe, root: Path = HERE) -> dict[str, dict]:
    """Write one dataset's files and data card; return the import summary of each file."""
    from communitylab.data.importers import read_chat
    from communitylab.data.summary import import_summary
    from communitylab.data.synthetic import generate_community
    from communitylab.data.writers import EXPORT_FORMATS, write_export
    from communitylab.models import participation

    folder = root / recipe.name
    folder.mkdir(parents=True, exist_ok=True)
    community = generate_community(participation.Params(**recipe.params), **recipe.options)
    summaries = {}
    for file_name, fmt in recipe.files.items():
        path = write_export(community.messages, folder / file_name, fmt)
        try:
            table, report = read_chat(path, EXPORT_FORMATS[fmt][0], tz=recipe.options["tz"])
            summaries[file_name] = import_summary(table, report)
        except Exception as exc:
            summaries[file_name] = {"error": f"{type(exc).__name__}: {exc}"}
    (folder / "DATACARD.md").write_text(_card(recipe, community, summaries, folder), encoding="utf-8")
    return summaries


def _card(recipe: Recipe, community, summaries: dict, folder: Path) -> str:
    table = community.messages
    kinds = table["kind"].value_counts()
    lines = [
        f"# {recipe.title}",
        "",
        f"{recipe.story} Entirely synthetic: made by the Community Lab generator from the participation model "
        "(module 03); no real person, message or group is in it. Names are made up from word lists.",
        "",
        "## Licence",
        "",
        "CC0 1.0 Universal (public domain dedication): https://creativecommons.org/publicdomain/zero/1.0/ — use it "
        "for anything, no attribution needed.",
        "",
        "## How it was made",
        "",
        "```python",
        "from communitylab.models import participation",
        "from communitylab.data.synthetic import generate_community",
        "from communitylab.data.writers import write_export",
        "",
        *_recipe_code(recipe),
        "```",
        "",
        f"Rebuild with `python datasets/build.py {recipe.name}` (same seed, same files).",
        "",
        "## Contents",
        "",
        f"Generated table: {len(table):,} records — "
        + ", ".join(f"{kind} {int(count):,}" for kind, count in kinds.items() if count)
        + f"; {int(table['is_bot'].sum()):,} bot posts; operators: {', '.join(community.operators) or 'none'}.",
        "",
        "| file | format | size | messages | system events | authors | replies | first | last |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for file_name, fmt in recipe.files.items():
        size = (folder / file_name).stat().st_size
        s = summaries[file_name]
        if "error" in s:
            lines.append(f"| `{file_name}` | {fmt} | {size / 1024:.0f} KB | (not importable yet: {s['error']}) |||||")
        else:
            lines.append(
                f"| `{file_name}` | {fmt} | {size / 1024:.0f} KB | {s['messages']:,} | {s['system_events']:,} | "
                f"{s['authors']:,} | {s['replies']:,} | {s['first']} | {s['last']} |"
            )
    lines += [
        "",
        "Counts are those `communitylab import FILE --format SOURCE --summary-json` reports (messages include bot "
        "posts).",
        "",
        "## Fields",
        "",
        "Each file follows its export tool's own layout (see `communitylab.data.writers`). Imported with",
        "`communitylab.data.importers.read_chat`, every file gives the `Messages` table: `message_id`, `timestamp`",
        "(time-zone aware), `author_id` and `author_name` (pseudonyms), `text`, `kind` (text, media, sticker,",
        "system, join, leave), `reply_to`, `thread`, `chat`, `source`, `is_bot`.",
        "",
        "## What the generator adds to the model",
        "",
        "Join days for the 30 % of members who arrive after launch, leaving after disengagement, times of day,",
        f"replies ({100 * recipe.options.get('reply_share', 0.35):.0f} % of messages answer a recent opener), media and "
        "stickers, one bot post a day and two group renames. See the docstring of `communitylab.data.synthetic`.",
        "",
        "## Notes",
        "",
        *[f"- {note}" for note in recipe.notes],
        "",
    ]
    return "\n".join(lines)


def main(names: list[str]) -> int:
    chosen = [r for r in RECIPES if not names or r.name in names]
    unknown = set(names) - {r.name for r in RECIPES}
    if unknown:
        print(f"unknown dataset(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    for recipe in chosen:
        summaries = build(recipe)
        print(recipe.name, summaries)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
