"""Community Lab: an offline-first, bilingual course kit on running online communities."""

import sys

__version__ = "0.1.0"

# Kernel start-up: when the optional package rfc3987_syntax is installed (jupyter-events pulls it in),
# jsonschema builds its full RFC 3987 grammar with lark at import time, which is 1.3 s of the 1.8 s
# CPU that `import altair` costs on the workshop laptop. Our charts never validate IRI formats, so a
# course kernel skips it; jsonschema treats the module as absent. Processes that imported jsonschema
# before us are left alone.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)
