"""Make the shared helper module ``importer_fuzz`` importable from the importer tests."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
