"""The room: a folder where every team's submitted plans land, one JSON file per submission.

A submission is written atomically: to a temporary file in the same folder, then
renamed into place with :func:`os.replace`, under a name no other submission can
have (time, team and a random part). Forty teams submitting in the same second
therefore lose nothing, on a shared folder as on one disk, and a reader never
sees half a file. A team may resubmit: every submission is kept and the latest
counts (:func:`latest`).

File format (``FORMAT``), one object per file::

    {"format": "communitylab.capstone.submission", "version": 1, "team": "...",
     "levers": {lever: value, ...}, "submitted_at": "2026-12-06T10:15:02.123456+00:00",
     "course_version": "0.1.0", "model_version": 1}
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from communitylab import __version__
from communitylab.capstone.plan import PlanError, make_plan, plan_levers
from communitylab.i18n import t
from communitylab.models import community

__all__ = ["Submission", "default_room", "submit", "load", "latest", "check_team", "FORMAT", "MODEL_VERSION"]

#: Marks a file as a capstone submission; anything else in the room is foreign.
FORMAT = "communitylab.capstone.submission"
FILE_VERSION = 1
#: Version of the community model's coupling and score; bump it when a change would re-rank the same plans.
MODEL_VERSION = 2
#: Environment variable naming a shared room folder.
ROOM_ENV = "COMMUNITYLAB_ROOM"
_TEAM = re.compile(r"^[\w][\w .\-]{0,39}$")


@dataclass(frozen=True)
class Submission:
    """One submitted plan.

    Attributes
    ----------
    team : str
        Team name as typed.
    params : community.Params
        The plan.
    submitted_at : datetime.datetime
        When it was submitted (UTC).
    course_version, model_version : str, int
        Versions of the course kit and of the capstone model that wrote it.
    path : pathlib.Path
        The file it came from.
    """

    team: str
    params: community.Params
    submitted_at: dt.datetime
    course_version: str
    model_version: int
    path: Path = field(compare=False)


def default_room() -> Path:
    """The room folder: ``$COMMUNITYLAB_ROOM``, else the user data folder of the exercises' progress + ``capstone``."""
    override = os.environ.get(ROOM_ENV)
    if override:
        return Path(override).expanduser()
    from communitylab.exercises.progress import progress_dir

    return progress_dir() / "capstone"


def check_team(team: str, lang: str | None = None) -> str:
    """The team name stripped, or :class:`PlanError` if it is empty, too long or has characters a file name cannot."""
    name = str(team).strip()
    if not _TEAM.match(name):
        raise PlanError(t("capstone.error.team", lang))
    return name


def submit(room: Path | str | None, team: str, params: community.Params, *, now: dt.datetime | None = None) -> Path:
    """Write one submission atomically and return its path.

    Parameters
    ----------
    room : path or None
        The room folder (created if missing); ``None`` for :func:`default_room`.
    team : str
        Team name (1-40 letters, digits, spaces or ``- _ .``).
    params : community.Params
        The plan; it is validated again (ranges and budget) so nothing invalid is ever written.
    now : datetime, optional
        Submission time (UTC); default: now.

    Raises
    ------
    PlanError
        For a bad team name or a plan outside the ranges or the budget; nothing is written then.
    """
    team = check_team(team)
    levers = plan_levers(params)
    make_plan(levers)  # the same validation as the panel and the command line
    folder = Path(room) if room is not None else default_room()
    folder.mkdir(parents=True, exist_ok=True)
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    record = {
        "format": FORMAT,
        "version": FILE_VERSION,
        "team": team,
        "levers": levers,
        "submitted_at": when.isoformat(),
        "course_version": __version__,
        "model_version": MODEL_VERSION,
    }
    slug = re.sub(r"[^\w\-]+", "-", team, flags=re.ASCII).strip("-").lower() or "team"
    name = f"{when:%Y%m%dT%H%M%S%f}-{slug[:24]}-{secrets.token_hex(4)}.json"
    handle, temporary = tempfile.mkstemp(prefix=".incoming-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        target = folder / name
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _read(path: Path) -> Submission:
    record = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise ValueError("not a capstone submission")
    if record.get("version") != FILE_VERSION:
        raise ValueError(f"submission format version {record.get('version')!r}, expected {FILE_VERSION}")
    levers = record["levers"]
    if not isinstance(levers, dict):
        raise ValueError("levers is not an object")
    when = dt.datetime.fromisoformat(record["submitted_at"])
    if when.tzinfo is None:
        raise ValueError("submitted_at has no time zone")
    return Submission(
        team=check_team(record["team"]),
        params=make_plan(levers),
        submitted_at=when.astimezone(dt.UTC),
        course_version=str(record.get("course_version", "")),
        model_version=int(record.get("model_version", 0)),
        path=path,
    )


def load(room: Path | str | None = None, lang: str | None = None) -> tuple[list[Submission], list[str]]:
    """Every submission in the room, oldest first, and a warning for each file that is not one.

    Corrupt, half-written, foreign or invalid files are skipped with a warning naming the file; temporary files of
    submissions still being written are ignored. A missing room is an empty one.
    """
    folder = Path(room) if room is not None else default_room()
    if not folder.is_dir():
        return [], []
    submissions, warnings = [], []
    for path in sorted(folder.glob("*.json")):
        try:
            submissions.append(_read(path))
        except (OSError, ValueError, KeyError, TypeError) as error:  # JSONDecodeError and PlanError are ValueErrors
            warnings.append(t("capstone.cli.skipped", lang, file=path.name, reason=error))
    submissions.sort(key=lambda s: (s.submitted_at, s.path.name))
    return submissions, warnings


def latest(submissions: list[Submission]) -> list[Submission]:
    """Each team's latest submission (the one that counts), in order of first submission; team names match exactly."""
    last: dict[str, Submission] = {}
    for submission in sorted(submissions, key=lambda s: (s.submitted_at, s.path.name)):
        last[submission.team] = submission
    return list(last.values())
