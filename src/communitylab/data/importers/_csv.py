"""Reading CSV exports in chunks, with rows of the wrong shape reported by line number."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.errors import EmptyDataError, ParserError, ParserWarning

from communitylab.data.schema import ImportReport

from ._files import display_name, text_encoding
from ._options import ChatImportError

#: Rows per pandas chunk when reading CSV.
CSV_CHUNK_ROWS: int = 250_000

_SKIPPED_LINE = re.compile(r"Skipping line (\d+): ([^\n]*)")


def csv_chunks(path: Path, report: ImportReport, required: Iterable[str] = ()) -> Iterable[tuple[int, pd.DataFrame]]:
    """Read a CSV export in chunks of :data:`CSV_CHUNK_ROWS` rows, all cells as text.

    Yields ``(first_record_number, chunk)``; header names are stripped of spaces and
    byte-order marks. Rows with too many fields are dropped and reported with their line
    number (pandas' C parser reports them as warnings, collected here); rows with too few
    fields come through with empty cells and the importer decides.

    Raises
    ------
    ChatImportError
        If the file cannot be parsed as CSV at all (e.g. a quote that is never closed) or
        lacks the ``required`` columns.
    """
    name = display_name(path)
    encoding = text_encoding(path)
    first = 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ParserWarning)
        try:
            # The C parser decodes the bytes itself (much faster than a Python text stream).
            reader = pd.read_csv(
                path,
                encoding=encoding,
                encoding_errors="replace",
                dtype=object,
                keep_default_na=False,
                na_filter=False,
                chunksize=CSV_CHUNK_ROWS,
                on_bad_lines="warn",
                engine="c",
            )
            with reader:  # closes the file even when the importer stops early
                for chunk in reader:
                    _report_skipped(caught, report, name)
                    chunk.columns = [str(c).strip().lstrip("\ufeff").strip().strip('"') for c in chunk.columns]
                    missing = [c for c in required if c not in chunk.columns]
                    if missing:
                        raise ChatImportError(
                            f"{name} lacks the column(s) {', '.join(missing)}; is it really this kind of export?"
                        )
                    yield first, chunk
                    first += len(chunk)
        except EmptyDataError:
            raise ChatImportError(f"{name} has no header and no rows: there are no messages to import.") from None
        except ParserError as exc:
            detail = str(exc).split("C error: ")[-1].rstrip(". \n")
            raise ChatImportError(
                f"{name} could not be read as CSV ({detail}). The file may be cut off or damaged; export it again."
            ) from None
        _report_skipped(caught, report, name)


def _report_skipped(caught: list[Any], report: ImportReport, name: str) -> None:
    for warning in caught:
        for match in _SKIPPED_LINE.finditer(str(warning.message)):
            report.drop(name, f"line {match.group(1)}", f"wrong number of fields ({match.group(2).strip()})")
    caught.clear()


def blank_to_na(values: pd.Series) -> pd.Series:
    """Text column with empty (or missing) cells as ``<NA>``.

    Done on the column's object array and turned into a ``string`` column once: the same
    steps on ``string`` columns (``astype``, ``==``, ``mask``) each check every cell for
    ``<NA>`` again, several times the cost on a million rows.
    """
    cells = values.to_numpy(dtype=object)
    blank = cells == ""  # missing cells (NaN, None) become <NA> in pd.array below
    if blank.any():
        cells = cells.copy()
        cells[blank] = None
    return pd.Series(pd.array(cells, dtype="string"), index=values.index, name=values.name)


def stripped_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A column of few distinct codes (a message type), stripped of spaces: ``(codes, uniques)``.

    ``uniques[codes]`` is the stripped column with ``""`` for empty or missing cells. Each
    distinct value is stripped once, not each of a million cells.
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    table = np.array([str(u).strip() for u in uniques] + [""], dtype=object)
    return np.where(codes < 0, len(table) - 1, codes), table
