"""The JSON Lines and CSV file formats: parsing with line numbers, and lossless round trips."""
from __future__ import annotations

import io

import pytest

from practices.errors import ValidationError
from practices.records import (
    CSV,
    JSONL,
    ImportFailed,
    RecordError,
    detect_format,
    read_records,
    write_records,
)


def read_bytes(data: bytes, fmt: str) -> list:
    return list(read_records(io.BytesIO(data), fmt))


CSV_HEADER = "external_id,title,body,language,themes"


def test_json_lines_are_numbered_by_their_line_in_the_file():
    data = b'{"title": "A"}\n\n{"title": "B"}\n'
    assert read_bytes(data, JSONL) == [(1, {"title": "A"}), (3, {"title": "B"})]


def test_a_bad_json_line_is_reported_and_the_other_lines_still_read():
    data = b'{"title": "A"}\n{"title": "B",}\n["not", "an object"]\n{"title": "D"}\n'
    items = read_bytes(data, JSONL)
    assert items[0] == (1, {"title": "A"})
    assert items[1].line == 2 and items[1].message.startswith("is not valid JSON")
    assert items[2] == RecordError(3, "", "must be one JSON object {...} per line")
    assert items[3] == (4, {"title": "D"})


@pytest.mark.parametrize("fmt", [JSONL, CSV])
def test_a_leading_byte_order_mark_is_ignored(fmt):
    text = '{"title": "Été"}\n' if fmt == JSONL else "title,body,language,themes\nÉté,,,\n"
    expected_line = 1 if fmt == JSONL else 2
    data = "\ufeff".encode() + text.encode()
    assert read_bytes(data, fmt) == [(expected_line, {"title": "Été"})]


def test_text_streams_read_like_binary_ones():
    stream = io.StringIO('\ufeff{"title": "Été"}\n', newline="")
    assert list(read_records(stream, JSONL)) == [(1, {"title": "Été"})]


def test_a_line_that_is_not_utf8_is_reported_with_its_number():
    data = b'{"title": "A"}\n{"title": "caf\xe9"}\n{"title": "C"}\n'
    items = read_bytes(data, JSONL)
    assert [i if isinstance(i, tuple) else i.line for i in items] == [
        (1, {"title": "A"}),
        2,
        (3, {"title": "C"}),
    ]
    assert "not UTF-8" in items[1].message


def test_a_utf16_file_gets_one_clear_error():
    data = '{"title": "A"}\n{"title": "B"}\n'.encode("utf-16")
    assert read_bytes(data, JSONL) == [
        RecordError(1, "", "the file is UTF-16; save it as UTF-8 and try again")
    ]


def test_csv_rows_become_records_of_the_json_shape():
    data = (
        "title,body,language,institution,institution_country,institution_levels,"
        "themes,pillars,sdg_targets,year,summary\n"
        "Garden,Text,fr,Lycée X,FR,primary;secondary,esd;gced,1; 2,4.7,2023,\n"
    ).encode()
    assert read_bytes(data, CSV) == [
        (
            2,
            {
                "title": "Garden",
                "body": "Text",
                "language": "fr",
                "institution": {
                    "name": "Lycée X",
                    "country": "FR",
                    "levels": ["primary", "secondary"],
                },
                "themes": ["esd", "gced"],
                "pillars": [1, 2],
                "sdg_targets": ["4.7"],
                "year": 2023,
            },
        )
    ]


def test_a_csv_institution_without_details_is_just_a_name():
    data = f"{CSV_HEADER},institution\nx,T,B,fr,esd,Lycée X\n".encode()
    assert read_bytes(data, CSV)[0][1]["institution"] == "Lycée X"


def test_csv_headers_are_matched_regardless_of_case_and_spaces():
    data = b" Title ,BODY,Language,Themes\nT,B,fr,esd\n"
    assert read_bytes(data, CSV) == [
        (2, {"title": "T", "body": "B", "language": "fr", "themes": ["esd"]})
    ]


def test_a_csv_record_is_numbered_by_the_line_it_starts_on():
    data = f'{CSV_HEADER}\na,T,"line one\nline two\n\nline four",fr,esd\nb,U,V,fr,esd\n'.encode()
    items = read_bytes(data, CSV)
    assert [line for line, _ in items] == [2, 6]
    assert items[0][1]["body"] == "line one\nline two\n\nline four"


def test_csv_header_problems_are_all_reported_and_no_rows_are_read():
    data = b"title,titel,title,body\nT,x,T,B\n"
    assert read_bytes(data, CSV) == [
        RecordError(1, "titel", "unknown column; did you mean 'title'?"),
        RecordError(1, "title", "appears twice in the header"),
        RecordError(1, "", "required columns missing: language, themes"),
    ]


def test_a_csv_row_with_the_wrong_number_of_cells_is_reported():
    data = f"{CSV_HEADER}\na,T,B,fr,esd,extra\nb,T,B,fr,esd\n".encode()
    items = read_bytes(data, CSV)
    assert items[0] == RecordError(2, "", "has 6 cells; the header has 5")
    assert items[1][0] == 3


def test_blank_csv_rows_are_skipped():
    data = f"{CSV_HEADER}\n\n,,,,\na,T,B,fr,esd\n".encode()
    assert [line for line, _ in read_bytes(data, CSV)] == [4]


def test_an_empty_csv_file_is_reported():
    assert read_bytes(b"", CSV) == [RecordError(1, "", "the file is empty")]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("practices.jsonl", JSONL), ("x.NDJSON", JSONL), ("export.csv", CSV), ("a.b.CSV", CSV)],
)
def test_the_format_is_told_by_the_file_extension(name, fmt):
    assert detect_format(name) == fmt


def test_an_unknown_extension_is_refused():
    with pytest.raises(ValidationError) as caught:
        detect_format("practices.xlsx")
    assert "practices.xlsx" in caught.value.errors["format"]


TRICKY_RECORDS = [
    {
        "external_id": "demo-fr-001",
        "title": "Potager, « bio » et \"citations\"",
        "summary": "Résumé; avec point-virgule",
        "body": "- liste\r\n- Windows\n\nLigne\rseule\n\n```\n<html>\n```\n\u2028fin",
        "language": "fr",
        "country": "FR",
        "institution": {
            "name": "Lycée X",
            "city": "Lyon",
            "country": "FR",
            "levels": ["primary", "secondary"],
            "sector": "public",
            "locality": "urban",
        },
        "themes": ["esd", "gced"],
        "pillars": [1, 2],
        "levels": ["secondary"],
        "sdg_targets": ["13.3", "4.7"],
        "emerging_issues": ["climate"],
        "year": 2023,
        "source_url": "https://example.org/a?b=1&c=2",
        "license": "CC-BY-4.0",
    },
    {
        "title": '=HYPERLINK("https://evil.example")',
        "summary": "'=already quoted",
        "body": "+1",
        "language": "ar",
        "institution": "@school",
        "themes": ["gced"],
    },
    {"title": "مدرسة 学校 🌱", "body": "'apostrophe", "language": "zh-Hans", "themes": ["esd"]},
]


@pytest.mark.parametrize("fmt", [JSONL, CSV])
def test_written_files_read_back_to_the_same_records(fmt):
    stream = io.StringIO(newline="")
    assert write_records(TRICKY_RECORDS, stream, fmt) == 3
    items = read_bytes(stream.getvalue().encode(), fmt)
    assert [record for _, record in items] == TRICKY_RECORDS


def test_csv_cells_that_spreadsheets_would_run_as_formulas_are_defused():
    stream = io.StringIO(newline="")
    write_records(TRICKY_RECORDS[1:2], stream, CSV)
    row = stream.getvalue().splitlines()[1]
    assert row.startswith(",\"'=HYPERLINK(") and ",'+1," in row and ",'@school," in row


def test_csv_exports_start_with_a_bom_for_spreadsheets():
    stream = io.StringIO(newline="")
    write_records([], stream, CSV)
    assert stream.getvalue().startswith("\ufeffexternal_id,title,")


def test_an_import_failure_lists_every_error_in_line_order():
    failure = ImportFailed(
        [RecordError(9, "title", "is required"), RecordError(2, "", "is not valid JSON")]
    )
    assert [e.line for e in failure.record_errors] == [2, 9]
    assert failure.errors == {"line 2": "is not valid JSON", "line 9 title": "is required"}
    assert str(failure) == "nothing imported: line 2: is not valid JSON (and 1 more)"
