"""The dashboards' CSV downloads, written by one function (so the product's shared CSV writer
can replace it in one place)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

# A spreadsheet runs a cell that starts with one of these as a formula (CWE-1236).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_download(columns: Sequence[str], rows: Iterable[Sequence[object]],
                 filename: str) -> Response:
    """Return a CSV attachment: a header row, then `rows`; text cells that a spreadsheet
    would take for a formula are prefixed with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA_START) else v
                         for v in row])
    response = Response(out.getvalue(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
