"""Validation of practice input: clean values out, every problem named so a person can fix it."""
from __future__ import annotations

from datetime import date

import pytest

from practices.errors import ValidationError
from practices.validation import InstitutionData, PracticeData, validate_practice


def minimal(**fields) -> dict:
    required = {"title": "Garden", "body": "We grow food.", "language": "en", "themes": ["esd"]}
    return required | fields


def errors_of(data: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        validate_practice(data)
    return caught.value.errors


def test_a_complete_record_becomes_clean_typed_values():
    data = validate_practice(
        {
            "external_id": " demo-fr-001 ",
            "title": "  Un  potager\nscolaire ",
            "summary": " Les élèves cultivent. ",
            "body": "    indented code\n\nText",
            "language": "FR",
            "institution": {
                "name": "Lycée X",
                "city": "Lyon",
                "country": "fr",
                "levels": "secondary; primary",
                "sector": "Public",
                "locality": "urban",
            },
            "themes": "esd;GCED",
            "pillars": ["2", 1, 2],
            "levels": ["Secondary"],
            "sdg_targets": ["13.3", "4.7"],
            "emerging_issues": "climate",
            "year": "2023",
            "source_url": "https://example.org/potager",
            "license": "cc by-sa 4.0",
        }
    )
    assert data == PracticeData(
        external_id="demo-fr-001",
        title="Un potager scolaire",
        summary="Les élèves cultivent.",
        body="    indented code\n\nText",
        language="fr",
        country="FR",
        institution=InstitutionData(
            name="Lycée X",
            country="FR",
            city="Lyon",
            levels=("primary", "secondary"),
            sector="public",
            locality="urban",
        ),
        themes=("esd", "gced"),
        pillars=(1, 2),
        levels=("secondary",),
        sdg_targets=("13.3", "4.7"),
        emerging_issues=("climate",),
        year=2023,
        source_url="https://example.org/potager",
        license="CC-BY-SA-4.0",
    )


def test_every_bad_field_is_reported_at_once():
    errors = errors_of(
        {"title": " ", "language": "english", "country": "UK", "themes": [], "year": 1900}
    )
    assert set(errors) == {"title", "body", "language", "country", "themes", "year"}
    assert errors["title"] == "is required"
    assert errors["body"] == "is required"


def test_the_error_message_names_the_field_the_value_and_the_fix():
    with pytest.raises(ValidationError) as caught:
        validate_practice(minimal(language="english"))
    assert str(caught.value).startswith(
        "language: 'english' is not a BCP 47 language tag; use e.g. 'en'"
    )


def test_input_that_is_not_an_object_is_refused():
    with pytest.raises(ValidationError):
        validate_practice(["title", "body"])  # type: ignore[arg-type]


def test_an_unknown_field_is_refused_with_a_suggestion():
    errors = errors_of(minimal(theme="esd"))
    assert errors == {"theme": "unknown field; did you mean 'themes'?"}


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("EN", "en"),
        ("zh-hans", "zh-Hans"),
        ("pt_BR", "pt-BR"),
        ("sr-latn-rs", "sr-Latn-RS"),
        ("iw", "he"),  # deprecated code replaced by the preferred one
        (" sw ", "sw"),
    ],
)
def test_language_tags_are_normalised(given, stored):
    assert validate_practice(minimal(language=given)).language == stored


@pytest.mark.parametrize("given", ["xx-invalid", "english", "und", "x-private", "zz", "e n"])
def test_strings_that_name_no_language_are_refused(given):
    assert "language" in errors_of(minimal(language=given))


def test_language_is_required():
    assert errors_of(minimal(language=""))["language"] == "is required"


def test_country_codes_are_accepted_in_lower_case():
    assert validate_practice(minimal(country="ke")).country == "KE"


@pytest.mark.parametrize(
    ("given", "hint"),
    [("UK", "'GB'"), ("EL", "'GR'"), ("FRA", "'FR'"), ("France", "'FR'")],
)
def test_near_miss_countries_are_refused_with_the_right_code(given, hint):
    message = errors_of(minimal(country=given))["country"]
    assert "not an ISO 3166-1 alpha-2" in message
    assert hint in message


def test_an_unassigned_country_code_is_refused():
    assert "not an ISO 3166-1 alpha-2" in errors_of(minimal(country="ZZ"))["country"]


def test_the_country_defaults_to_the_institutions_country():
    data = validate_practice(minimal(institution={"name": "Shule ya Msingi", "country": "TZ"}))
    assert data.country == "TZ"


def test_an_institution_given_by_name_takes_the_practices_country():
    data = validate_practice(minimal(country="JP", institution="Sakura Gakuen"))
    assert data.institution == InstitutionData(name="Sakura Gakuen", country="JP")


def test_an_institution_without_any_country_is_refused():
    errors = errors_of(minimal(institution="Somewhere School"))
    assert errors == {"institution.country": "is required when the practice has no country"}


def test_institution_details_are_checked_field_by_field():
    errors = errors_of(
        minimal(country="FR", institution={"city": "Lyon", "sector": "state", "size": 3})
    )
    assert set(errors) == {"institution.name", "institution.sector", "institution.size"}
    assert "public, private" in errors["institution.sector"]


def test_at_least_one_theme_is_required():
    assert errors_of(minimal(themes=[]))["themes"] == "is required"
    assert errors_of(minimal(themes=" ; "))["themes"] == "is required"


def test_unknown_themes_are_named_with_the_choices():
    message = errors_of(minimal(themes=["esd", "peace", "love"]))["themes"]
    assert message == "unknown theme 'peace', 'love'; choose from gced, esd, intercultural"


def test_themes_are_accepted_by_label_and_in_any_case():
    data = validate_practice(minimal(themes=["ESD", "Peace through Global Citizenship Education"]))
    assert data.themes == ("esd", "gced")


def test_semicolon_separated_lists_equal_real_lists():
    from_csv = validate_practice(minimal(levels="primary; secondary;", sdg_targets="4.7;4.a"))
    from_json = validate_practice(
        minimal(levels=["secondary", "primary"], sdg_targets=["4.a", "4.7"])
    )
    assert from_csv == from_json


def test_repeated_values_are_kept_once():
    data = validate_practice(minimal(themes=["esd", "esd"], pillars=[1, "1"]))
    assert (data.themes, data.pillars) == (("esd",), (1,))


def test_pillars_accept_numbers_written_as_text():
    assert validate_practice(minimal(pillars="4;2")).pillars == (2, 4)


@pytest.mark.parametrize("given", [[5], [0], ["one"], [True], [1.5]])
def test_pillars_outside_one_to_four_are_refused(given):
    assert "pillars" in errors_of(minimal(pillars=given))


@pytest.mark.parametrize(("given", "stored"), [("4.7", "4.7"), ("4.A", "4.a"), ("17.19", "17.19")])
def test_official_sdg_targets_are_accepted(given, stored):
    assert validate_practice(minimal(sdg_targets=[given])).sdg_targets == (stored,)


def test_a_target_the_goal_does_not_have_is_refused_with_the_goals_range():
    message = errors_of(minimal(sdg_targets=["4.8"]))["sdg_targets"]
    assert message == "'4.8' is not one of the 169 SDG targets; Goal 4 has 4.1-4.7 and 4.a-4.c"


def test_a_target_of_a_goal_that_does_not_exist_is_refused():
    message = errors_of(minimal(sdg_targets=["18.1"]))["sdg_targets"]
    assert "there is no Goal 18" in message


def test_sdg_targets_written_as_json_numbers_are_refused():
    # 4.10 would arrive as 4.1: a number cannot say which target was meant.
    assert "must be text" in errors_of(minimal(sdg_targets=[4.1]))["sdg_targets"]


def test_the_start_year_must_be_plausible():
    next_year = date.today().year + 1
    assert validate_practice(minimal(year=1945)).year == 1945
    assert validate_practice(minimal(year=str(next_year))).year == next_year
    assert "year" in errors_of(minimal(year=1944))
    assert "year" in errors_of(minimal(year=next_year + 1))
    assert "year" in errors_of(minimal(year="2023-09"))


@pytest.mark.parametrize("url", ["https://example.org/a?b=1", "http://example.org"])
def test_web_addresses_are_accepted(url):
    assert validate_practice(minimal(source_url=url)).source_url == url


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/x", "www.example.org", "https://"]
)
def test_addresses_other_than_http_and_https_are_refused(url):
    assert "http:// or https://" in errors_of(minimal(source_url=url))["source_url"]


def test_known_licences_get_their_spdx_spelling_and_others_are_kept():
    assert validate_practice(minimal(license="CC BY 4.0")).license == "CC-BY-4.0"
    assert validate_practice(minimal(license="cc0-1.0")).license == "CC0-1.0"
    custom = "UNESCO-Courier-reprint-notice"
    assert validate_practice(minimal(license=custom)).license == custom


def test_a_licence_that_is_a_paragraph_is_refused_with_spdx_examples():
    message = errors_of(minimal(license="You may copy this text " * 10))["license"]
    assert "SPDX" in message and "CC-BY-4.0" in message


def test_the_title_limit_counts_characters_not_bytes():
    assert validate_practice(minimal(title="园" * 300)).title == "园" * 300
    assert errors_of(minimal(title="园" * 301)) == {
        "title": "is 301 characters long; the limit is 300"
    }


def test_the_body_is_kept_exactly_as_written():
    body = "\n  - item with **bold**\n\n```\n<html>\n```\n"
    assert validate_practice(minimal(body=body)).body == body


def test_text_fields_must_be_text():
    assert errors_of(minimal(title=42)) == {"title": "must be text, not int 42"}


def test_nul_characters_are_refused_because_postgresql_cannot_store_them():
    assert "NUL" in errors_of(minimal(summary="a\x00b"))["summary"]


def test_a_country_given_as_a_number_is_refused_not_crashed_on():
    assert errors_of(minimal(country=250)) == {"country": "must be text, not int 250"}
