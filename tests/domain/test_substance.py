"""Near-empty practices are refused when sent for review or imported (issue 10), with a
message that says what is missing; drafts may still be saved half-written."""
from __future__ import annotations

import pytest

from practices.errors import ValidationError
from practices.permissions import SYSTEM
from practices.records import ImportFailed
from practices.rendering import render_markdown
from practices.services import create_draft, import_records, transition
from practices.validation import NEARLY_EMPTY, substance_problem
from practices.workflow import Status
from tests.factories import make_institution, make_user, practice_data

NEARLY_EMPTY_BODIES = [
    "...", "\u200b\u200c\u200d\ufeff", "🌱🌍♻️", "xx", "test", "- - -", "**!!**",
    "[](https://example.org)",
]
SHORT_BUT_REAL = ["Worm farm.", "学生们经营学校菜园。", "pH and nitrates", "Мы сажаем деревья.",
                  "نزرع الخضار", "हम पेड़ लगाते हैं"]


@pytest.mark.parametrize("body", NEARLY_EMPTY_BODIES)
def test_dots_emoji_invisible_characters_and_a_word_are_too_little(body):
    assert substance_problem("", body) == NEARLY_EMPTY


@pytest.mark.parametrize("body", SHORT_BUT_REAL)
def test_a_short_sentence_in_any_script_is_enough(body):
    assert substance_problem("", body) is None


TRICKY_BODIES = ["& &", "&amp; &amp;", "a<b>b</b>", "[x](https://example.org/abc def)",
                 "![a school garden](https://example.org/g.png)", "`x` `y`", "1 2 3 4 5 6",
                 "[x]: https://example.org/reference-definition-words"]


@pytest.mark.parametrize("body", NEARLY_EMPTY_BODIES + SHORT_BUT_REAL + TRICKY_BODIES)
def test_the_search_s_quick_check_on_the_stored_html_agrees_with_the_full_one(body):
    # The search checks every hit with the body's stored HTML at hand (app/search/reader.py).
    assert substance_problem("", body, html=render_markdown(body)) == substance_problem("", body)


def test_the_summary_counts_with_the_body():
    assert substance_problem("Pupils grow vegetables.", "...") is None


def _editor(session):
    return make_user(session, "school_editor", institution=make_institution(session))


def test_a_near_empty_draft_is_saved_but_not_submitted(session):
    editor = _editor(session)
    draft = create_draft(session, practice_data(summary="", body="🌱🌱🌱"), actor=editor)
    with pytest.raises(ValidationError) as refused:
        transition(session, draft.id, "submit", actor=editor)
    assert refused.value.errors == {"body": NEARLY_EMPTY}
    assert draft.status == Status.DRAFT


def test_a_real_practice_is_submitted(session):
    editor = _editor(session)
    draft = create_draft(session, practice_data(summary="", body="Worm farm."), actor=editor)
    transition(session, draft.id, "submit", actor=editor)
    assert draft.status == Status.SUBMITTED


def test_an_import_refuses_near_empty_records_and_names_their_lines(session, record):
    records = [(1, record(1)), (2, record(2, summary="", body="...")),
               (3, record(3, summary=" ", body="\u200b\u200b"))]
    with pytest.raises(ImportFailed) as failed:
        import_records(session, records, publish=True, actor=SYSTEM)
    assert [(e.line, e.field) for e in failed.value.record_errors] == [(2, "body"), (3, "body")]
    assert "too little" in str(failed.value.record_errors[0])
