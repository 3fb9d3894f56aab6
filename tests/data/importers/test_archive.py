"""Zip exports are unpacked within a limit: declared sizes first, then the bytes actually read."""

from __future__ import annotations

import struct
import zipfile

import pytest
from importer_fuzz import SECRET

from communitylab.data.importers import ExportTooLarge, read_chat
from communitylab.data.importers._archive import READ_BYTES, DamagedMember, ZipExport

DAY = b'[{"type": "message", "ts": "1704103200.000100", "user": "U1", "text": "hello"}]'


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_declared_sizes_over_the_cap_are_refused_before_anything_is_unpacked(tmp_path, monkeypatch):
    path = _zip(tmp_path / "export.zip", {"channels.json": b"[]", "general/2024-01-01.json": b" " * 3_000_000})
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *args, **kwargs: opened.append(args))
    with pytest.raises(ExportTooLarge) as refused:
        read_chat(path, secret=SECRET, max_bytes=1_000_000)
    assert refused.value.unpacked and refused.value.limit == 1_000_000 and refused.value.size > 3_000_000
    assert "export.zip unpacks to at least 2.9 MB, more than the limit of 976.6 KB" in str(refused.value)
    assert opened == []  # refused on the headers alone


def test_bytes_actually_unpacked_count_against_the_cap(tmp_path):
    """The running count stops an archive within one read of passing the cap, whatever the headers said."""
    path = _zip(tmp_path / "export.zip", {"a.json": b"1" * (3 * READ_BYTES), "b.json": b"2" * (3 * READ_BYTES)})
    export = ZipExport(path, max_bytes=10 * READ_BYTES)
    export.read(export.members[0])
    export.max_bytes = 4 * READ_BYTES  # as if the second member's header had understated it
    with pytest.raises(ExportTooLarge, match=r"unpacks to at least 5\.0 MB"):
        export.read(export.members[1])
    assert export.unpacked == 5 * READ_BYTES


def test_a_header_that_understates_its_member_gets_no_more_than_it_declared(tmp_path):
    """zipfile stops at the declared size and then finds the checksum wrong: the member is damaged."""
    path = _zip(tmp_path / "export.zip", {"channels.json": b"[]", "general/2024-01-01.json": DAY + b" " * 100_000})
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")  # the day file's entry in the central directory (the last one)
    data[central + 24 : central + 28] = struct.pack("<I", 1000)  # uncompressed size: 1,000 bytes
    path.write_bytes(bytes(data))
    export = ZipExport(path, max_bytes=10**6)
    day = export.members[-1]
    assert day.file_size == 1000
    with pytest.raises(DamagedMember, match="damaged inside the zip"):
        export.read(day)
    assert export.unpacked <= 1000
    _, report = read_chat(path, "slack", secret=SECRET)
    assert [p.reason for p in report.problems] == [
        "the day file cannot be unpacked (it is damaged inside the zip); its messages are skipped"
    ]


def test_a_member_marked_encrypted_is_damaged_not_a_crash(tmp_path):
    path = _zip(tmp_path / "export.zip", {"channels.json": b"[]", "general/2024-01-01.json": DAY})
    data = bytearray(path.read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local and central headers
        at = data.rfind(signature)
        data[at + flags_at] |= 0x01  # "encrypted": zipfile asks for a password
    path.write_bytes(bytes(data))
    _, report = read_chat(path, "slack", secret=SECRET)
    assert (report.read, report.kept) == (1, 0)
    assert (
        report.problems[0].reason
        == "the day file cannot be unpacked (it is encrypted inside the zip); its messages are skipped"
    )
