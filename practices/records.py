"""The import/export file formats: JSON Lines and CSV (DESIGN.md "Import/export record format").

Readers turn a file into `(line_number, record)` items in the JSON shape, whatever the format,
and report what they cannot parse as `RecordError(line, field, message)` items in the same
stream, so an import can list every problem of a file at once. Writers produce files the
readers read back to the same records. Both formats are UTF-8; a leading BOM is accepted.
"""
from __future__ import annotations

import csv
import difflib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any, TextIO

from practices.errors import ValidationError
from practices.validation import INSTITUTION_FIELDS, PRACTICE_FIELDS

JSONL, CSV = "jsonl", "csv"
FORMATS_BY_SUFFIX = {".jsonl": JSONL, ".ndjson": JSONL, ".csv": CSV}
LIST_FIELDS = (
    "themes", "pillars", "levels", "sdg_targets", "emerging_issues", "partner_types",
)
REQUIRED_COLUMNS = ("title", "body", "language", "themes")
_INSTITUTION_COLUMNS = tuple(f"institution_{f}" for f in INSTITUTION_FIELDS if f != "name")
CSV_COLUMNS = tuple(
    c
    for f in PRACTICE_FIELDS
    for c in ((f, *_INSTITUTION_COLUMNS) if f == "institution" else (f,))
)
"""CSV header written by exports: the record fields, `institution` followed by its details."""

# Spreadsheets run cells starting with these as formulas (OWASP "CSV Injection"): the
# writer prefixes such cells with an apostrophe and the reader removes it again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RecordError:
    """A problem with one record of a file: `line` (1-based; for CSV, where the record
    starts, the header being line 1), `field` ("" for the whole line) and a message."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: {self.field}" if self.field else f"line {self.line}"
        return f"{where}: {self.message}"


Item = tuple[int, dict[str, Any]] | RecordError
"""What readers yield and imports consume: a numbered record or a parse error."""


class ImportFailed(ValidationError):
    """An import wrote nothing because some records are bad; `record_errors` lists them all,
    in line order. `errors` holds the same as {"line N field": message} for generic handlers.
    """

    def __init__(self, errors: Iterable[RecordError]) -> None:
        self.record_errors = sorted(errors, key=lambda e: e.line)
        by_place: dict[str, str] = {}
        for e in self.record_errors:
            place = f"line {e.line} {e.field}".rstrip()
            by_place[place] = f"{by_place[place]}; {e.message}" if place in by_place else e.message
        super().__init__(by_place)

    def __str__(self) -> str:
        count, first = len(self.record_errors), self.record_errors[0]
        more = f" (and {count - 1} more)" if count > 1 else ""
        return f"nothing imported: {first}{more}"


def detect_format(filename: str) -> str:
    """Return JSONL or CSV from a file name's extension (.jsonl/.ndjson or .csv).

    Raises:
        ValidationError: {"format": ...} for any other extension.
    """
    fmt = FORMATS_BY_SUFFIX.get(PurePath(filename).suffix.lower())
    if fmt is None:
        raise ValidationError(
            {"format": f"cannot tell the format of {filename!r}; name it .jsonl or .csv"}
        )
    return fmt


def read_records(stream: IO[bytes] | IO[str], fmt: str) -> Iterator[Item]:
    """Yield the records of a JSON Lines or CSV stream, and a RecordError per bad line.

    A binary stream is decoded as UTF-8 line by line, so one badly encoded line is reported
    and the rest still read; a text stream must be opened with newline="" (as csv requires).
    """
    lines = _lines(stream)
    return _read_jsonl(lines) if fmt == JSONL else _read_csv(lines)


def write_records(records: Iterable[Mapping[str, Any]], stream: TextIO, fmt: str) -> int:
    """Write records (JSON shape) to a text stream opened with newline=""; return the count."""
    return write_jsonl(records, stream) if fmt == JSONL else write_csv(records, stream)


def write_jsonl(records: Iterable[Mapping[str, Any]], stream: TextIO) -> int:
    """Write one JSON object per line, non-ASCII text as is; return the number written."""
    count = 0
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[Mapping[str, Any]], stream: TextIO, *, bom: bool = True) -> int:
    """Write a CSV with header CSV_COLUMNS; return the number of records written.

    Args:
        bom: start with a UTF-8 BOM, without which Excel misreads non-Latin text.
    """
    if bom:
        stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for record in records:
        cells = _flatten(record)
        writer.writerow([_escape_formula(cells.get(c, "")) for c in CSV_COLUMNS])
        count += 1
    return count


def _lines(stream: IO[bytes] | IO[str]) -> Iterator[tuple[int, str, str | None]]:
    """Yield (line number, text, decoding problem or None); drop a leading BOM."""
    for number, raw in enumerate(stream, 1):
        problem = None
        if isinstance(raw, bytes):
            if number == 1 and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
                yield number, "", "the file is UTF-16; save it as UTF-8 and try again"
                return
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                text = raw.decode("utf-8", "replace")
                problem = (
                    f"is not UTF-8 text (byte {raw[exc.start]:#04x} at byte {exc.start + 1}); "
                    "save the file as UTF-8"
                )
        else:
            text = raw
        yield number, text.removeprefix("\ufeff") if number == 1 else text, problem


def _read_jsonl(lines: Iterator[tuple[int, str, str | None]]) -> Iterator[Item]:
    for number, text, problem in lines:
        if problem:
            yield RecordError(number, "", problem)
        elif text.strip():
            yield _parse_json_line(number, text)


def _parse_json_line(number: int, text: str) -> Item:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return RecordError(number, "", f"is not valid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:  # JSON nested about a thousand levels deep
        return RecordError(number, "", "is nested too deeply to be a practice")
    if not isinstance(record, dict):
        return RecordError(number, "", "must be one JSON object {...} per line")
    return number, record


def _read_csv(lines: Iterator[tuple[int, str, str | None]]) -> Iterator[Item]:
    problems: dict[int, str] = {}

    def texts() -> Iterator[str]:
        for number, text, problem in lines:
            if problem:
                problems[number] = problem
            yield text

    reader = csv.reader(texts())
    header = next(reader, None)
    header_errors = _check_header(header)
    if header_errors or header is None:
        yield from header_errors or [RecordError(1, "", "the file is empty")]
        return
    columns = [c.strip().lower() for c in header]
    start = reader.line_num + 1
    for row in reader:
        yield from _csv_item(start, reader.line_num, row, columns, problems)
        start = reader.line_num + 1


def _check_header(header: list[str] | None) -> list[RecordError]:
    if header is None:
        return []
    columns = [c.strip().lower() for c in header]
    errors = [RecordError(1, c, _unknown_column(c)) for c in columns if c not in CSV_COLUMNS]
    twice = sorted({c for c in columns if columns.count(c) > 1})
    errors += [RecordError(1, c, "appears twice in the header") for c in twice]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        errors.append(RecordError(1, "", f"required columns missing: {', '.join(missing)}"))
    return errors


def _unknown_column(column: str) -> str:
    close = difflib.get_close_matches(column, CSV_COLUMNS, n=1)
    return "unknown column" + (f"; did you mean {close[0]!r}?" if close else "")


def _csv_item(
    start: int, end: int, row: list[str], columns: list[str], problems: dict[int, str]
) -> Iterator[Item]:
    bad_lines = [n for n in range(start, end + 1) if n in problems]
    if bad_lines:
        yield RecordError(bad_lines[0], "", problems[bad_lines[0]])
    elif len(row) != len(columns) and any(cell.strip() for cell in row):
        yield RecordError(start, "", f"has {len(row)} cells; the header has {len(columns)}")
    elif any(cell.strip() for cell in row):
        yield start, _unflatten(dict(zip(columns, row, strict=True)))


def _unflatten(cells: dict[str, str]) -> dict[str, Any]:
    """Turn CSV cells into a record of the JSON shape (lists, numbers, nested institution)."""
    record: dict[str, Any] = {}
    institution: dict[str, Any] = {}
    for column, raw in cells.items():
        if not raw.strip():
            continue
        value: Any = _unescape_formula(raw)
        if column in LIST_FIELDS or column == "institution_levels":
            items = [v.strip() for v in value.split(";") if v.strip()]
            value = [_number(v) for v in items] if column == "pillars" else items
        elif column == "year":
            value = _number(value.strip())
        if column.startswith("institution_"):
            institution[column.removeprefix("institution_")] = value
        else:
            record[column] = value
    if institution:
        record["institution"] = {"name": record.get("institution"), **institution}
        if record["institution"]["name"] is None:
            del record["institution"]["name"]
    return record


def _flatten(record: Mapping[str, Any]) -> dict[str, str]:
    cells: dict[str, str] = {}
    for field, value in record.items():
        if field == "institution" and isinstance(value, Mapping):
            for key, detail in value.items():
                cells["institution" if key == "name" else f"institution_{key}"] = _cell(detail)
        else:
            cells[field] = _cell(value)
    return cells


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


def _number(text: str) -> int | str:
    # Numbers stay text when they are not whole numbers, for validation to report.
    # (Python's int() refuses over 4,300 digits; no year has more than four.)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else text


def _escape_formula(text: str) -> str:
    # An apostrophe already in front of such a start is escaped too, so reading undoes exactly
    # what writing did: "=x" <-> "'=x", "'=x" <-> "''=x".
    return "'" + text if text.startswith(_FORMULA_START) or _is_escaped(text) else text


def _unescape_formula(text: str) -> str:
    return text[1:] if _is_escaped(text) else text


def _is_escaped(text: str) -> bool:
    return text[:1] == "'" and text[1:2] != "" and text[1:2] in (*_FORMULA_START, "'")
