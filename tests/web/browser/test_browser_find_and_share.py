"""Issue 2 end to end in a real browser, with the real multilingual model and the language
neutralizer (as in production): a teacher searches in Spanish and finds a practice written in
Arabic, reads it, then signs in as a school editor and shares a practice through the form;
the shared practice waits for review and stays out of public search.

The practices come from the shared cross-language set (one sentence per practice, the same
practice written in seven languages): the school garden practice in Arabic and in Swahili, and
practices on other topics in Spanish, the query's language.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.search import get_maintenance
from tests.shared_data import shared_file
from tests.web.browser.browser_pages import PracticeFormPage, Site
from tests.web.helpers import school_and_editor

pytestmark = [pytest.mark.browser, pytest.mark.model]

# (group of the shared set, language, country): xdev-01 is the school garden and compost
# practice; xdev-02 (pen-pals), xdev-11 (peer mediation against bullying) and xdev-22 (media
# literacy) are about other things.
SEEDED = [("xdev-01", "ar", "JO"), ("xdev-01", "sw", "KE"), ("xdev-02", "es", "MX"),
          ("xdev-11", "es", "ES"), ("xdev-22", "es", "AR")]
QUERY = "huerto escolar y compost de los restos del comedor"


def _shared_texts() -> dict[str, dict[str, str]]:
    with shared_file("xling_dev", "practices_7lang.jsonl").open(encoding="utf-8") as lines:
        groups = [json.loads(line) for line in lines]
    return {group["group_id"]: group["texts"] for group in groups}


@pytest.fixture
def served(make_app, serve, app_config, real_encoder, real_neutralizer_cache, tmp_path):
    """The app with the real encoder, the fitted neutralizer and CSRF checks, holding the
    SEEDED practices (imported and published through the CLI), served; with the editor of a
    school in Spain. Returns (base URL, the editor, {(group, language): title})."""
    shutil.copytree(real_neutralizer_cache,
                    Path(app_config["SEARCH_INDEX_DIR"]) / "neutralizer")
    app = make_app(ENCODER=real_encoder, SEARCH_NEUTRALIZER=True, WTF_CSRF_ENABLED=True)
    texts = _shared_texts()
    titles = {(group, language): texts[group][language] for group, language, _ in SEEDED}
    records = tmp_path / "practices.jsonl"
    records.write_text("".join(
        json.dumps({"external_id": f"{group}-{language}", "title": titles[group, language],
                    "body": titles[group, language], "language": language, "country": country,
                    "themes": ["esd"]}, ensure_ascii=False) + "\n"
        for group, language, country in SEEDED), encoding="utf-8")
    imported = app.test_cli_runner().invoke(
        args=["practices", "import", str(records), "--publish"])
    assert imported.exit_code == 0, imported.output
    with app.app_context():
        assert get_maintenance().info()["neutralizer"] is not None
    return serve(app), school_and_editor(app, country="ES")[1], titles


def test_a_spanish_search_finds_an_arabic_practice_and_a_school_shares_one(driver, served):
    base_url, editor, titles = served
    arabic = titles["xdev-01", "ar"]
    site = Site(driver, base_url)
    site.open("/")

    first = site.search(QUERY)[0]
    assert (first.title, first.lang, first.dir, first.direction) == (arabic, "ar", "rtl", "rtl")

    site.click_and_wait(first.link)
    title = site.find("#practice-title")
    assert (title.text, title.get_attribute("lang"), title.get_attribute("dir")) == (
        arabic, "ar", "rtl")
    assert title.value_of_css_property("direction") == "rtl"
    page = site.find("html")
    assert (page.get_attribute("lang"), page.get_attribute("dir")) == ("en", "ltr")

    site.sign_in(editor.email)
    site.use_menu("Share a practice")
    form = PracticeFormPage(site)
    shared_title = "Huerto de plantas medicinales en el patio de la escuela"
    form.fill(language="es", title=shared_title, themes=["esd", "intercultural"],
              levels=["primary"], sdg_targets="4.7, 12.5", license="CC-BY-4.0",
              summary="Los alumnos cultivan plantas medicinales con las familias.",
              body="Cada clase cuida un bancal.\n\n## Resultados\n\n- más visitas de familias")
    practice_id = form.submit_for_review()
    assert f"“{shared_title}” was submitted for review." in site.flashes()
    assert site.find(".status-facts .status").text == "Submitted for review"
    site.sign_out()

    found = [result.title for result in site.search(shared_title)]
    assert shared_title not in found and arabic in found
    site.open(f"/practices/{practice_id}")
    assert site.heading == "Page not found"
