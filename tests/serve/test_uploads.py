"""Uploads are data: an upload to the dashboard is never executed or unpickled (issue 11 item 6)."""

from __future__ import annotations

import io
import os
import pickle
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "communitylab"


class _Trap:
    """Unpickling this writes a marker file: proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _payloads(marker: Path) -> dict[str, bytes]:
    pickled = pickle.dumps(_Trap(marker))
    code = f"open({str(marker)!r}, 'w').write('x')\n".encode()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("result.json", pickled)
        bundle.writestr("messages.pkl", pickled)
        bundle.writestr("__init__.py", code)
    return {
        "result.json": pickled,
        "messages.csv": pickled,
        "chat.txt": code,
        "export.zip": archive.getvalue(),
        "payload.pkl": pickled,
        "lesson.ipynb": b'{"cells": [{"cell_type": "code", "source": "' + code.strip() + b'"}]}',
    }


def test_uploads_to_the_dashboard_are_never_executed_or_unpickled(tmp_path):
    from communitylab.labs.dashboard import DashboardLab

    marker = tmp_path / "UNPICKLED"
    lab = DashboardLab(None)
    for name, content in _payloads(marker).items():
        upload = {
            "name": name,
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.now(UTC),
        }
        lab._upload.value = (upload,)  # the widget's own path, as a browser upload arrives
        assert lab.load_bytes(name, content) is False, f"{name} was accepted as a chat export"
        assert not marker.exists(), f"{name} ran code"


def test_no_module_that_reads_uploads_can_unpickle_or_evaluate():
    readers = [*sorted((SRC / "data").rglob("*.py")), SRC / "labs" / "dashboard.py"]
    dangerous = re.compile(r"\b(pickle|marshal|shelve|dill)\b|\beval\(|\bexec\(|yaml\.load\(|np\.load\(.*allow_pickle")
    found = [
        f"{path.name}: {line.strip()}"
        for path in readers
        for line in path.read_text().splitlines()
        if dangerous.search(line) and not line.strip().startswith("#")
    ]
    assert found == []
