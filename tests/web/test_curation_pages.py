"""The curators' side: promoting a published practice with a dossier (rubric, evidence),
flagging a promising one for policy with a policy note, archiving, and what the public then
sees in search."""
from __future__ import annotations

import pytest

from tests.factories import practice_data
from tests.web.helpers import (
    audit_actions,
    flashes,
    login_as,
    new_practice,
    new_user,
    post_action,
    practice_state,
)
from tests.web.html_page import accessibility_problems, parse

GOOD_SCORES = {"relevance": "3", "impact": "2", "replicability": "2", "conditions": "2",
               "sustainability": "na", "participation": "3"}


def dossier_form(scores=GOOD_SCORES, **changes) -> dict:
    """Return what the promotion form posts: scores, an assessment, one evidence row."""
    form = {f"score_{code}": value for code, value in scores.items()}
    form.update({
        "summary": "An external evaluation shows less canteen waste.",
        "evidence-0-type": "evaluation", "evidence-0-title": "Waste audit 2024",
        "evidence-0-source": "University of Nairobi", "evidence-0-date": "2024-05-01",
        "evidence-0-url": "", "expected_status": "published", "note": "",
    })  # fmt: skip
    form.update(changes)
    return form


@pytest.fixture
def curator(app, client):
    login_as(client, new_user(app, "curator"))
    return client


@pytest.fixture
def published(app):
    return new_practice(app, "published", data=practice_data(1, title="Zero waste canteen"))


def test_the_promotion_form_shows_the_rubric_with_definitions_and_minimums(curator, published):
    doc = parse(curator.get(f"/curation/practices/{published}/promote").data)

    criteria = doc.find_all("fieldset", class_="criterion")
    assert len(criteria) == 6
    impact = criteria[1]
    assert impact.one("legend").text == "Evidence of impact"
    assert "beyond the school's own account" in impact.one("p", class_="hint").text
    assert "Minimum: 2 (established)." in impact.text
    values = [i["value"] for i in impact.find_all("input", type="radio")]
    assert values == ["0", "1", "2", "3"]  # impact may not be "not applicable"
    na = [i["value"] for i in criteria[2].find_all("input", type="radio")]
    assert na[-1] == "na"
    assert "12 of 18" in doc.one("main").text
    assert len(doc.find_all("fieldset", class_="evidence-row")) == 3
    assert accessibility_problems(doc) == []


@pytest.mark.postgres
def test_a_complete_dossier_promotes_the_practice_and_shows_it_for_print(app, curator,
                                                                        published):
    response = curator.post(f"/curation/practices/{published}/promote", data=dossier_form())

    assert response.status_code == 303
    assert practice_state(app, published)["status"] == "promising"
    assert audit_actions(app, published)[-1] == "promote"
    doc = parse(curator.get(response.headers["Location"]).data)
    rows = {r.one("span", class_="criterion-name").text: r.find("td").text
            for r in doc.one("table", class_="scores-table").one("tbody").find_all("tr")}
    assert rows["Evidence of impact"] == "2 – established"
    assert rows["Sustainability"] == "not applicable"
    assert "12 / 15" in doc.one("tfoot").text
    assert "Waste audit 2024" in doc.one("ol", class_="evidence").text
    assert accessibility_problems(doc) == []


def test_a_dossier_below_the_minimums_is_refused_next_to_the_criteria_and_nothing_stored(
    app, curator, published
):
    low = {**GOOD_SCORES, "impact": "1", "participation": ""}
    before = practice_state(app, published)

    response = curator.post(f"/curation/practices/{published}/promote",
                            data=dossier_form(low, **{"evidence-0-date": "someday"}))

    assert response.status_code == 422
    doc = parse(response.data)
    impact = doc.one("span", id="score-impact-error").text
    assert "1 is below the minimum of 2 for Evidence of impact" in impact
    assert "is required" in doc.one("span", id="score-participation-error").text
    assert "YYYY-MM-DD" in doc.one("span", id="evidence-0-date-error").text
    summary = doc.one("div", class_="error-summary")
    assert {a["href"] for a in summary.find_all("a")} >= {"#score-impact-0", "#evidence-0-date"}
    checked = doc.one("input", id="score-relevance-3")
    assert "checked" in checked.attrs  # what was chosen is kept
    assert accessibility_problems(doc) == []
    assert practice_state(app, published) == before


def test_a_total_below_the_rubrics_share_is_refused(app, curator, published):
    minimums = {"relevance": "2", "impact": "2", "replicability": "1", "conditions": "1",
                "sustainability": "1", "participation": "1"}

    response = curator.post(f"/curation/practices/{published}/promote",
                            data=dossier_form(minimums))

    assert response.status_code == 422
    assert "the total 8 of 18 is below the minimum of 12" in parse(response.data).one(
        "div", class_="error-summary").text
    assert practice_state(app, published)["status"] == "published"


def test_another_evidence_row_is_added_without_saving_anything(app, curator, published):
    form = dossier_form(add_row="Add another evidence row")

    response = curator.post(f"/curation/practices/{published}/promote", data=form)

    assert response.status_code == 200
    doc = parse(response.data)
    assert len(doc.find_all("fieldset", class_="evidence-row")) == 4
    assert doc.one("input", id="evidence-0-title")["value"] == "Waste audit 2024"
    assert practice_state(app, published)["status"] == "published"


def test_a_promising_practice_is_flagged_for_policy_with_a_policy_note(app, curator):
    practice_id = new_practice(app, "promising")
    note = {"audience": "Ministries of education", "key_message": "Compost works.",
            "countries": ["KE", "SN"], "expected_status": "promising"}

    missing = curator.post(f"/curation/practices/{practice_id}/flag",
                           data={**note, "countries": []})
    assert missing.status_code == 422
    assert "name at least one country" in parse(missing.data).one("span", id="countries-error").text
    assert practice_state(app, practice_id)["status"] == "promising"

    response = curator.post(f"/curation/practices/{practice_id}/flag", data=note)
    assert response.status_code == 303
    assert practice_state(app, practice_id)["status"] == "flagged_for_policy"
    dossier = parse(curator.get(f"/curation/practices/{practice_id}/dossier").data)
    assert "Compost works." in dossier.one("main").text and "Senegal" in dossier.one("main").text


def test_a_promotion_form_of_a_practice_already_promoted_says_so(app, curator, published):
    curator.post(f"/curation/practices/{published}/promote", data=dossier_form())

    again = curator.post(f"/curation/practices/{published}/promote", data=dossier_form())

    assert again.status_code == 303  # back to the form's page, which says why it is closed
    assert again.headers["Location"] == f"/curation/practices/{published}/promote"
    assert audit_actions(app, published).count("promote") == 1
    page = parse(curator.get(again.headers["Location"]).data)
    assert "now “Promising practice”" in flashes(page)
    assert "cannot be promoted now" in page.one("p", class_="notice").text


def test_a_curator_archives_a_practice_from_its_review_page(app, curator, published):
    doc = parse(curator.get(f"/review/practices/{published}").data)
    assert "Archive" in [b.text for b in doc.one("section", id="actions").find_all("button")]

    response = post_action(curator, published, "archive", "published", note="Duplicate.")

    assert response.status_code == 303
    assert practice_state(app, published)["status"] == "archived"
    assert curator.get(f"/practices/{published}").status_code == 404


@pytest.mark.parametrize("role", ["school_editor", "national_coordinator", "administrator"])
def test_only_curators_promote(app, client, published, role):
    login_as(client, new_user(app, role, country="FR" if role == "national_coordinator" else None))

    assert client.get(f"/curation/practices/{published}/promote").status_code == 403
    response = client.post(f"/curation/practices/{published}/promote", data=dossier_form())
    assert response.status_code == 403
    assert client.get("/curation/queue").status_code == 403
    assert practice_state(app, published)["status"] == "published"


@pytest.mark.postgres
def test_a_promoted_practice_is_marked_and_found_by_the_promising_filter(app, curator,
                                                                        published):
    new_practice(app, "published", data=practice_data(2, title="Another canteen"))
    curator.post(f"/curation/practices/{published}/promote", data=dossier_form())

    visitor = app.test_client()
    doc = parse(visitor.get("/search?status=promising").data)

    [item] = doc.one("ol", class_="results").find_all("li", class_="result")
    assert item.find("h3").text == "Zero waste canteen"
    assert item.one("li", class_="badge").text == "Promising practice"


def test_the_promotion_queue_lists_published_practices_not_yet_promoted(app, curator,
                                                                       published):
    new_practice(app, "promising", data=practice_data(3, title="Already promising"))

    doc = parse(curator.get("/curation/queue").data)

    titles = [t.text for t in doc.one("tbody").find_all("th")]
    assert titles == ["Zero waste canteen"]
    assert accessibility_problems(doc) == []


def test_the_rubric_is_shown_in_the_language_of_each_request(app, curator, published):
    url = f"/curation/practices/{published}/promote"
    french = parse(curator.get(url, headers={"Accept-Language": "fr"}).data)
    english = parse(curator.get(url, headers={"Accept-Language": "en"}).data)

    assert french.one("label", for_="score-impact-2").text == "2 – établi"
    assert english.one("label", for_="score-impact-2").text == "2 – established"
    assert english.find_all("fieldset", class_="criterion")[1].one("legend").text == (
        "Evidence of impact")


def test_a_forged_promotion_without_the_forms_token_is_refused(csrf_app, csrf_client):
    practice_id = new_practice(csrf_app, "published")
    login_as(csrf_client, new_user(csrf_app, "curator"))
    url = f"/curation/practices/{practice_id}/promote"

    forged = csrf_client.post(url, data=dossier_form())

    assert forged.status_code == 400
    assert practice_state(csrf_app, practice_id)["status"] == "published"
    page = parse(csrf_client.get(url).data)
    token = page.one("form", action=url).one("input", name="csrf_token")["value"]
    assert csrf_client.post(url, data=dossier_form(csrf_token=token)).status_code == 303
