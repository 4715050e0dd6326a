"""The interface catalogues: one per UN language besides English, each complete, with the
same placeholders as the English and the plural forms its language needs."""
from __future__ import annotations

import re

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from flask_babel import ngettext

from app.labels.interface_language import INTERFACE_LANGUAGES
from app.labels.translate import translate
from practices.vocab import THEMES
from tests.catalogues import catalogue_sources, extracted_messages

TRANSLATED = [tag for tag in INTERFACE_LANGUAGES if tag != "en"]
# Python %-style placeholders: "%(name)s", "%(num)d", "%(code)r"; "%%" is a literal percent.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([sdrifx%])")


def placeholders(text: str) -> list[tuple[str, str]]:
    """Return the sorted (name, conversion) placeholders of a %-format string."""
    return sorted(m.groups() for m in PLACEHOLDER.finditer(text) if m.group(2) != "%")


def load(tag: str):
    with open(catalogue_sources()[tag], "rb") as po:
        return read_po(po, locale=tag)


def test_every_interface_language_but_english_has_a_catalogue():
    assert sorted(catalogue_sources()) == TRANSLATED


@pytest.mark.parametrize("tag", TRANSLATED)
def test_the_catalogue_translates_every_interface_string(tag):
    catalogue = load(tag)

    def translated(msgid):
        message = catalogue.get(msgid)
        if message is None or message.fuzzy:
            return False
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        return all(strings)

    assert sorted(m for m in extracted_messages() if not translated(m)) == []


@pytest.mark.parametrize("tag", TRANSLATED)
def test_translations_keep_the_placeholders_of_the_english(tag):
    wrong = []
    for message in load(tag):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = placeholders(ids[-1])
        wrong += [(ids[0], s) for s in strings if s and not _same(placeholders(s), expected,
                                                                 plural=len(ids) > 1)]
    assert wrong == []


@pytest.mark.parametrize("tag", TRANSLATED)
def test_plural_messages_have_every_form_of_the_language(tag):
    catalogue = load(tag)
    assert catalogue.num_plurals == get_plural(tag).num_plurals  # 6 in Arabic, 1 in Chinese
    short = [m.id for m in catalogue
             if m.pluralizable and len(m.string) != catalogue.num_plurals]
    assert short == []


@pytest.mark.parametrize(
    ("tag", "counts"),
    [
        ("ru", {1: "1 практика", 2: "2 практики", 5: "5 практик", 21: "21 практика",
                22: "22 практики", 11: "11 практик"}),
        ("ar", {0: "0 ممارسة", 1: "ممارسة واحدة", 2: "ممارستان", 3: "3 ممارسات",
                11: "11 ممارسة", 100: "100 ممارسة"}),
        ("zh", {1: "1 项实践", 7: "7 项实践"}),
        ("es", {1: "1 práctica", 3: "3 prácticas"}),
    ],
)  # fmt: skip
def test_counts_agree_with_the_number_in_each_language(app, tag, counts):
    with app.test_request_context(headers={"Accept-Language": tag}):
        assert {n: ngettext("%(num)d practice", "%(num)d practices", n)
                for n in counts} == counts


def _same(found, expected, plural):
    # A plural form may say the count in words ("ممارسة واحدة", one practice; "ممارستان", two).
    if plural:
        return [p for p in found if p[0] != "num"] == [p for p in expected if p[0] != "num"]
    return found == expected


# UNESCO's own names of its programmes, as its sites in each language write them.
UNESCO_TERMS = {
    "gced": {"es": "Educación para la Ciudadanía Mundial",
             "fr": "éducation à la citoyenneté mondiale",
             "ar": "التربية على المواطنة العالمية", "zh": "全球公民教育",
             "ru": "образование в духе глобальной гражданственности"},
    "esd": {"es": "Educación para el Desarrollo Sostenible",
            "fr": "Éducation en vue du développement durable",
            "ar": "التعليم من أجل التنمية المستدامة", "zh": "可持续发展教育",
            "ru": "Образование в интересах устойчивого развития"},
}  # fmt: skip


@pytest.mark.parametrize("tag", TRANSLATED)
def test_the_thematic_areas_use_unesco_s_own_terms(app, tag):
    with app.test_request_context(headers={"Accept-Language": tag}):
        for code, terms in UNESCO_TERMS.items():
            assert terms[tag].lower() in translate(THEMES[code]).lower()
