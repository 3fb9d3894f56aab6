"""Community Lab: an offline-first, bilingual course kit on running online communities."""

__version__ = "0.1.0"
