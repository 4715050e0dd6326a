"""Interface languages and writing direction: English and French interfaces, and school texts
shown in their own language and direction whatever the interface language."""
from __future__ import annotations

from types import MappingProxyType

import pytest

from app.labels.display import text_direction
from app.labels.translate import translate
from practices import PERMISSIONS, TRANSITIONS, codes, roles, rubric, vocab, workflow
from practices.filters import FILTERS
from tests.catalogues import extracted_messages
from tests.web.helpers import login_as, school_and_editor
from tests.web.html_page import parse


@pytest.mark.parametrize(
    "tag",
    ["ar", "ar-EG", "he", "fa", "ur", "ps", "ckb", "sd", "ug", "yi", "dv", "syr", "nqo",
     "ff-Adlm", "az-Arab", "pa-Arab", "ku-Arab"],
)  # fmt: skip
def test_languages_written_in_right_to_left_scripts_are_rtl(tag):
    assert text_direction(tag) == "rtl"


@pytest.mark.parametrize(
    "tag",
    ["en", "fr", "pt-BR", "zh-Hant", "ja", "hi", "sw", "ru", "ku", "az", "pa", "ff", "mn-Mong",
     "tr", "", None, "not a tag!"],
)  # fmt: skip
def test_other_languages_and_unreadable_tags_are_ltr(tag):
    assert text_direction(tag) == "ltr"


def test_browsers_asking_for_french_get_a_french_interface(client, add_practice):
    add_practice(country="EG", language="ar", title="حديقة", themes=["esd"])

    doc = parse(client.get("/search", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}).data)

    assert (doc.one("html")["lang"], doc.one("html")["dir"]) == ("fr", "ltr")
    assert doc.one("h1").text == "Rechercher des pratiques"
    labels_text = {lbl.text for lbl in doc.one("form", class_="filters").find_all("label")}
    assert "Éducation en vue du développement durable (1 pratique)" in labels_text
    assert "Égypte (1 pratique)" in labels_text
    assert "arabe (1 pratique)" in labels_text
    title = doc.one("ol", class_="results").one("h3")
    assert (title["lang"], title["dir"]) == ("ar", "rtl")


def test_browsers_asking_for_an_unsupported_language_get_english(client):
    doc = parse(client.get("/", headers={"Accept-Language": "sw"}).data)

    assert doc.one("html")["lang"] == "en"


def test_the_chosen_interface_language_is_remembered(client):
    response = client.get("/interface-language/fr?next=/search%3Fq%3Djardin")

    assert response.status_code == 302 and response.headers["Location"] == "/search?q=jardin"
    doc = parse(client.get("/", headers={"Accept-Language": "en"}).data)
    assert doc.one("html")["lang"] == "fr"
    current = doc.one("a", aria_current="true")
    assert (current["lang"], current.text) == ("fr", "français")


@pytest.mark.parametrize(
    "target",
    [
        "https://elsewhere.example/",
        "//elsewhere.example/x",
        "x",
        "/\\elsewhere.example",
        "/%2F%2Felsewhere.example",
    ],
)
def test_the_language_choice_never_sends_visitors_to_another_site(client, target):
    response = client.get("/interface-language/fr", query_string={"next": target})

    assert response.headers["Location"] == "/"


def test_a_query_in_another_script_is_isolated_from_the_page_text(client):
    doc = parse(client.get("/search?q=حديقة المدرسة").data)

    assert doc.one("input", id="q")["dir"] == "auto"
    assert doc.one("h2", id="results-title").one("bdi").text == "حديقة المدرسة"


def domain_labels() -> set[str]:
    """Return every human string of the domain's tables (vocabularies, statuses, actions,
    roles, permissions, rubric, filters)."""
    tables = [value for module in (vocab, roles, rubric, workflow)
              for value in vars(module).values() if isinstance(value, MappingProxyType)]
    found = {label for table in tables for label in table.values() if isinstance(label, str)}
    found |= {t.label for t in TRANSITIONS.values()} | {r.does for r in PERMISSIONS.values()}
    found |= {f.label for f in FILTERS.values()}
    for version in rubric.RUBRIC_VERSIONS.values():
        found |= {text for c in version.criteria for text in (c.name, c.definition)}
    return found


def test_every_domain_label_is_marked_for_translation_where_it_is_written():
    labels = domain_labels()
    assert len(labels) > 100
    assert sorted(labels - extracted_messages()) == []


def test_a_domain_validation_message_reaches_a_french_reader_in_french(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        with pytest.raises(ValueError) as caught:
            codes.normalise_sdg_target("4.9")
        assert translate(caught.value.args[0]) == (
            "'4.9' n’est pas l’une des 169 cibles des ODD ; l’objectif 4 compte les cibles "
            "4.1-4.7 et 4.a-4.c")
        assert str(caught.value.args[0]).startswith("'4.9' is not one of the 169 SDG targets")


def test_a_refusal_of_the_domain_is_explained_in_french(app, client):
    _, editor = school_and_editor(app)
    login_as(client, editor)

    response = client.get("/review", headers={"Accept-Language": "fr"})

    assert response.status_code == 403
    assert "un·e rédacteur·rice d’établissement ne peut pas voir les pratiques à relire" in \
        parse(response.data).one("main").text
    api = client.get("/api/v1/practices/999", headers={"Accept-Language": "fr"})
    assert api.get_json()["error"] == "practice 999 does not exist"  # the API speaks English
