"""The one CSV writer of the app's downloads (curated list, audit log, and any later export).

Every export describes its columns (`Column`: the row key, a header in the interface language,
and how a value is shown, e.g. a status code as its label) and answers with `csv_response`:

- cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
  return; OWASP "CSV Injection") are neutralised with a leading apostrophe, whatever text a
  user wrote there. Numbers stay numbers: only text is neutralised;
- UTF-8 with a byte order mark, without which Excel reads UTF-8 as the local code page
  and garbles every non-Latin name;
- headers and coded values in the reader's language (app/labels), not internal codes.

The CLI's practice export is the import format (practices/records.py), kept in codes for the
round trip; it neutralises formulas with the same characters, reversibly.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response

# OWASP, "CSV Injection": the characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


@dataclass(frozen=True)
class Column:
    """One column: `key` in the rows, `title` shown in the header (already translated, or a
    lazy string), `show` turning a value into what the reader sees (default: as it is)."""

    key: str
    title: str
    show: Callable[[Any], Any] | None = None


def neutralise(value: Any) -> Any:
    """Return a cell safe to open in a spreadsheet: text starting with a formula character
    gets a leading apostrophe (shown by spreadsheets as plain text); None is empty; numbers
    are left as they are."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
        return "'" + text if text.startswith(FORMULA_START) else text
    return value


def rows_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> Iterable[str]:
    """Yield the CSV text: the BOM and header first, then one chunk per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([neutralise(str(c.title)) for c in columns])
    yield BOM + flush()
    for row in rows:
        writer.writerow([neutralise(_shown(c, row.get(c.key))) for c in columns])
        yield flush()


def csv_response(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column],
                 filename: str) -> Response:
    """Return a download of `rows` as CSV.

    Written whole before the answer starts, so that an error while reading the rows is an
    error page, not a truncated file that looks complete.
    """
    response = Response("".join(rows_text(rows, columns)), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _shown(column: Column, value: Any) -> Any:
    if value is None or value == "" or column.show is None:
        return value
    return column.show(value)
