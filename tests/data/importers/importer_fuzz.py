"""Shared helpers of the importer tests: fixture paths and the mutation fuzzer."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import strategies as st

from communitylab.data.importers import ChatImportError, read_chat
from communitylab.data.schema import COLUMNS

DATA = Path(__file__).resolve().parents[1]
FIXTURES = DATA / "fixtures"
REAL = DATA / "real"
#: Tests never touch the user's stored secret.
SECRET = b"test secret, not for real use"

OPERATIONS = ("delete_line", "duplicate_line", "swap_lines", "truncate", "flip_byte", "insert_byte", "cut_tail")


@st.composite
def mutations(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    """One to four edits, each an operation with two random numbers (positions, bytes)."""
    return draw(
        st.lists(
            st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 2**31 - 1), st.integers(0, 255)),
            min_size=1,
            max_size=4,
        )
    )


def mutate(data: bytes, edits: list[tuple[str, int, int]]) -> bytes:
    """Apply ``edits`` to ``data`` (line-level and byte-level damage)."""
    for op, where, value in edits:
        lines = data.split(b"\n")
        if op == "delete_line" and len(lines) > 1:
            del lines[where % len(lines)]
            data = b"\n".join(lines)
        elif op == "duplicate_line":
            i = where % len(lines)
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        elif op == "swap_lines" and len(lines) > 1:
            i, j = where % len(lines), (where // 7) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif op == "truncate" and data:
            data = data[: where % len(data)]
        elif op == "cut_tail" and data:
            data = data[: max(len(data) - 1 - value, 0)]
        elif op == "flip_byte" and data:
            i = where % len(data)
            data = data[:i] + bytes([data[i] ^ (value or 1)]) + data[i + 1 :]
        elif op == "insert_byte":
            i = where % (len(data) + 1)
            data = data[:i] + bytes([value]) + data[i:]
    return data


def check_import(path: Path, fmt: str = "auto") -> tuple[pd.DataFrame, object] | None:
    """Import ``path``; our error class is fine, anything else fails the test.

    When the import succeeds, the invariants of the ``Messages`` table are checked.
    """
    try:
        messages, report = read_chat(path, fmt, secret=SECRET)
    except ChatImportError as exc:
        assert str(exc), "an import error must say what went wrong"
        assert "Traceback" not in str(exc)
        return None
    assert report.read == report.kept + report.dropped
    assert len(messages) == report.kept
    assert tuple(messages.columns) == COLUMNS
    assert messages["timestamp"].dt.tz is not None
    assert messages["timestamp"].is_monotonic_increasing
    assert messages["timestamp"].notna().all()
    assert report.duplicates <= report.dropped
    return messages, report


def fuzz_file(original: Path, edits: list[tuple[str, int, int]], fmt: str, suffix: str | None = None) -> None:
    """Mutate a copy of ``original`` and import it with the named and the auto-detected format."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / (original.stem + (suffix or original.suffix))
        target.write_bytes(mutate(original.read_bytes(), edits))
        check_import(target, fmt)
        check_import(target, "auto")


def fuzz_folder(original: Path, member: str, edits: list[tuple[str, int, int]], fmt: str) -> None:
    """Mutate one file inside a copy of the folder ``original`` and import the folder."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / original.name
        shutil.copytree(original, target)
        victim = target / member
        victim.write_bytes(mutate(victim.read_bytes(), edits))
        check_import(target, fmt)
