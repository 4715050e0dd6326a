"""Interface languages and writing direction: English and French interfaces, and school texts
shown in their own language and direction whatever the interface language."""
from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from app.labels import vocab as labels
from app.labels.display import text_direction
from practices import vocab
from tests.web.html_page import parse

ROOT = Path(__file__).resolve().parents[2]
FRENCH_PO = ROOT / "app" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
FRENCH_MO = FRENCH_PO.with_suffix(".mo")


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


@pytest.mark.parametrize("name", sorted(labels.VOCABULARIES))
def test_interface_labels_mirror_the_domain_vocabulary(app, name):
    ours, domain = labels.VOCABULARIES[name]

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert {code: str(label) for code, label in ours.items()} == dict(domain)


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


def test_the_french_catalogue_translates_every_interface_string():
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None}
    extracted = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(ROOT, method_map, options_map, keywords=keywords)
    }
    with open(FRENCH_PO, "rb") as po:
        catalogue = read_po(po, locale="fr")

    untranslated = sorted(m for m in extracted if not _translated(catalogue, m))
    assert untranslated == []


def test_the_compiled_french_catalogue_is_up_to_date():
    with open(FRENCH_PO, "rb") as po, open(FRENCH_MO, "rb") as mo:
        source, compiled = read_po(po, locale="fr"), read_mo(mo)

    def entries(catalogue):
        return {_key(m.id): _key(m.string) for m in catalogue if m.id and m.string}

    assert entries(compiled) == entries(source)


def _translated(catalogue, msgid: str) -> bool:
    message = catalogue.get(msgid)
    if message is None:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def _key(text):
    return text if isinstance(text, str) else tuple(text)


def test_every_labelled_domain_vocabulary_has_translatable_labels():
    domain_tables = {
        name for name, value in vars(vocab).items() if isinstance(value, MappingProxyType)
    }
    assert domain_tables == set(labels.VOCABULARIES)
