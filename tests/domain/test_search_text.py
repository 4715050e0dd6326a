"""What a practice offers to search: title as header, summary and body text as body."""
from __future__ import annotations

from practices.search_text import SearchText, search_text
from practices.validation import validate_practice


def practice(**fields):
    return validate_practice(
        {"title": "Potager", "body": "x", "language": "fr", "themes": ["esd"]} | fields
    )


def test_the_header_is_the_title_and_the_body_is_summary_then_body_text():
    text = search_text(
        practice(summary="Les élèves jardinent.", body="## Étapes\n\n1. *Semer*\n2. Arroser")
    )
    expected_body = "Les élèves jardinent.\n\nÉtapes\nSemer\nArroser"
    assert text == SearchText(header="Potager", body=expected_body)


def test_markup_and_link_addresses_are_not_searchable():
    text = search_text(practice(body="Voir [le guide](https://example.org/guide.pdf) **ici**"))
    assert text.body == "Voir le guide ici"


def test_full_text_joins_header_and_body():
    text = search_text(practice(summary="Résumé"))
    assert text.full == "Potager\n\nRésumé\n\nx"


def test_a_practice_without_summary_has_only_its_body_text():
    assert search_text(practice(body="Texte")).body == "Texte"
