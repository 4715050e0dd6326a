"""Issue 10 end to end in a real browser, with the real multilingual model and the language
neutralizer (as in production): a school writing a practice asks for suggested tags, then
previews it and is told it looks like a practice already published in another language
(“This looks like practice N (in Arabic, from Morocco)”), and sees the same on its own page
once the draft is saved, before it submits.

The practices come from the shared cross-language set (one sentence per practice, the same
practice in seven languages): the school garden practice in Arabic from Morocco, practices on
other topics in Spanish; the school writes the garden practice in Spanish.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.shared_data import shared_file
from tests.web.browser.browser_pages import PracticeFormPage, Site
from tests.web.helpers import school_and_editor

pytestmark = [pytest.mark.browser, pytest.mark.model]

# (group of the shared set, language, country): xdev-01 is the school garden and compost
# practice; xdev-02 (pen-pals) and xdev-11 (peer mediation against bullying) are not.
SEEDED = [("xdev-01", "ar", "MA"), ("xdev-02", "es", "MX"), ("xdev-11", "es", "ES")]


def _shared_texts() -> dict[str, dict[str, str]]:
    with shared_file("xling_dev", "practices_7lang.jsonl").open(encoding="utf-8") as lines:
        return {g["group_id"]: g["texts"] for g in map(json.loads, lines)}


@pytest.fixture
def served(make_app, serve, app_config, real_encoder, real_neutralizer_cache, tmp_path):
    """The app with the real encoder and the fitted neutralizer, holding the SEEDED practices
    (imported and published through the CLI), served; with the editor of a school in Spain.
    Returns (base URL, the editor, the shared texts)."""
    shutil.copytree(real_neutralizer_cache,
                    Path(app_config["SEARCH_INDEX_DIR"]) / "neutralizer")
    app = make_app(ENCODER=real_encoder, SEARCH_NEUTRALIZER=True, WTF_CSRF_ENABLED=True)
    texts = _shared_texts()
    records = tmp_path / "practices.jsonl"
    records.write_text("".join(
        json.dumps({"external_id": f"{group}-{language}", "title": texts[group][language],
                    "body": texts[group][language], "language": language, "country": country,
                    "themes": ["esd"]}, ensure_ascii=False) + "\n"
        for group, language, country in SEEDED), encoding="utf-8")
    imported = app.test_cli_runner().invoke(
        args=["practices", "import", str(records), "--publish"])
    assert imported.exit_code == 0, imported.output
    return serve(app), school_and_editor(app, country="ES")[1], texts


def warnings(site: Site) -> list[tuple[str, str, str]]:
    """(sentence, linked title, its lang) of each likely copy named on the page."""
    found = []
    for item in site.driver.find_elements("css selector", "#likely-copies li"):
        link = item.find_element("tag name", "a")
        found.append((item.text.removesuffix(link.text).strip(), link.text,
                      link.get_attribute("lang")))
    return found


def test_a_school_sees_suggested_tags_and_a_duplicate_warning_while_submitting(driver, served):
    base_url, editor, texts = served
    spanish, arabic = texts["xdev-01"]["es"], texts["xdev-01"]["ar"]
    site = Site(driver, base_url)
    site.open("/")
    site.sign_in(editor.email)
    site.use_menu("Share a practice")
    form = PracticeFormPage(site)
    form.fill(language="es", title="Huerto escolar y compost", body=spanish,
              levels=["primary"], license="CC-BY-4.0")

    site.press("Suggest tags")
    suggested = site.driver.find_elements("css selector", "label .tag-suggested")
    assert suggested, site.find("main").text
    assert site.find("#title").get_attribute("value") == "Huerto escolar y compost"

    site.press("Preview")
    found = warnings(site)
    assert len(found) == 1, site.find("main").text
    sentence, title, lang = found[0]
    assert sentence.startswith("This looks like practice ")
    assert sentence.endswith(" (in Arabic, from Morocco):")
    assert (title, lang) == (arabic, "ar")

    site.press("Save draft")
    assert site.path.startswith("/my/practices/")
    assert [(t, lang) for _, t, lang in warnings(site)] == [(arabic, "ar")]
    site.click_and_wait(site.find("#likely-copies a"))
    assert site.find("#practice-title").text == arabic
