"""Issue 3 end to end in a real browser: a school submits a practice, its National Coordinator
asks for a change, the school resubmits, the coordinator publishes, a curator promotes it with
a dossier and flags it for policy; visitors then find it in search marked as promising.

Everyone signs in and out through the sign-in form; every decision is a form of the pages.
The test encoder (hashing) is enough here: nothing depends on crossing languages.
"""
from __future__ import annotations

from datetime import date

import pytest

from tests.factories import practice_data
from tests.web.browser.browser_pages import (
    FlagFormPage,
    PracticeFormPage,
    PromotionFormPage,
    Site,
    take_action,
)
from tests.web.helpers import new_practice, new_user, school_and_editor

pytestmark = pytest.mark.browser

TITLE = "Potager et compost de la cantine"


@pytest.fixture
def served(make_app, serve):
    """The app with CSRF checks on (as in production), served; with a school of France and
    its editor, France's National Coordinator, a curator, and one published practice on the
    same topic that nobody promotes."""
    app = make_app(WTF_CSRF_ENABLED=True)
    accounts = {
        "editor": school_and_editor(app, country="FR")[1],
        "coordinator": new_user(app, "national_coordinator", country="FR"),
        "curator": new_user(app, "curator"),
    }
    new_practice(app, "published", data=practice_data(
        title="Un potager au collège", body="Les élèves cultivent un potager et font du compost."))
    return serve(app), accounts


def test_a_practice_goes_from_submission_to_promising_and_is_found_marked_so(driver, served):
    base_url, accounts = served
    site = Site(driver, base_url)
    site.open("/")

    site.sign_in(accounts["editor"].email)
    site.use_menu("Share a practice")
    form = PracticeFormPage(site)
    form.fill(language="fr", title=TITLE, themes=["esd"], levels=["primary"],
              summary="Les élèves compostent les restes de la cantine pour leur potager.",
              body="Chaque classe entretient une parcelle.\n\n- compost\n- semis")
    practice_id = form.submit_for_review()
    assert f"“{TITLE}” was submitted for review." in site.flashes()
    site.sign_out()

    site.sign_in(accounts["coordinator"].email)
    site.use_menu("Review queue")
    site.follow(TITLE)
    take_action(site, "request_changes", note="Dites ce que le compost a changé.")
    assert site.path == "/review"
    assert f"Changes to “{TITLE}” were requested; the school has your note." in site.flashes()
    site.sign_out()

    site.sign_in(accounts["editor"].email)
    site.use_menu("My practices")
    site.follow(TITLE)
    assert "Dites ce que le compost a changé." in site.find("#thread").text
    site.follow("Edit")
    form.replace_body("Chaque classe entretient une parcelle.\n\n"
                      "Résultat : la cantine jette deux fois moins de restes.")
    assert form.submit_for_review() == practice_id
    assert f"“{TITLE}” was submitted for review." in site.flashes()
    site.sign_out()

    site.sign_in(accounts["coordinator"].email)
    site.use_menu("Review queue")
    site.follow(TITLE)
    assert "la cantine jette deux fois moins de restes" in site.find(".file-content").text
    take_action(site, "publish")
    assert f"“{TITLE}” was published." in site.flashes()
    site.sign_out()

    site.sign_in(accounts["curator"].email)
    site.use_menu("Promotion queue")
    site.click_and_wait(site.find(f"a[href='/curation/practices/{practice_id}/promote']"))
    promotion = PromotionFormPage(site)
    promotion.score({"relevance": 3, "impact": 2, "replicability": 3, "conditions": 2,
                     "sustainability": 2, "participation": 3})
    promotion.assess("Résultats mesurés par la cantine; facile à reprendre ailleurs.")
    promotion.add_evidence(0, kind="data", title="Pesées des restes", source="Cantine scolaire",
                           when=date(2024, 5, 1))
    promotion.promote()
    assert site.path == f"/curation/practices/{practice_id}/dossier"
    assert f"“{TITLE}” is now a promising practice." in site.flashes()

    site.use_menu("Promising practices")
    site.click_and_wait(site.find(f"a[href='/review/practices/{practice_id}']"))
    site.follow("Flag for policy dissemination")
    flag = FlagFormPage(site)
    flag.fill(audience="Ministères de l'éducation", countries=["FR", "SN"],
              key_message="Le compost scolaire réduit le gaspillage à peu de frais.")
    flag.flag()
    assert f"“{TITLE}” was flagged for policy dissemination." in site.flashes()
    site.sign_out()

    found = {r.title: r.badges for r in site.search("potager compost")}
    assert found == {TITLE: ("Promising practice", "Flagged for policy"),
                     "Un potager au collège": ()}
    promising = site.filter_results("status", "promising")
    assert [r.title for r in promising] == [TITLE]
    assert "status=promising" in site.path
