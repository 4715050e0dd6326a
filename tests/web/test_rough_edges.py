"""What people tripped on (issue 9), as they notice it: the badges explain themselves and the
public page says why a practice was selected; reviewers see every field the school filled in;
"Download the selected" with nothing ticked says so; country pickers offer the network's
countries first; policy-note countries are ticked, not Ctrl-clicked; Markdown tables keep
their rows and cells."""
from __future__ import annotations

from tests.factories import VALID_DOSSIER, practice_data
from tests.web.helpers import flashes, login_as, new_practice, new_user
from tests.web.html_page import parse

FULL = dict(title="Agua limpia para todos", language="es", themes=["esd"], pillars=[2],
            levels=["secondary"], sdg_targets=["6.1"], emerging_issues=["climate"],
            year=2023, license="CC-BY-4.0", source_url="https://example.org/agua")


def test_badges_link_to_what_they_mean_and_the_page_says_why_it_was_selected(app, client):
    practice_id = new_practice(app, "promising", data=practice_data(1, title="Zero waste"))
    page = parse(client.get(f"/practices/{practice_id}").data)

    badge = page.one("li", class_="badge").find("a")
    explained = parse(client.get(badge["href"].split("#")[0]).data)
    assert badge["href"].endswith("#promising")
    assert explained.find(id="promising") is not None
    assert len(explained.one("dl", class_="criteria").find_all("dt")) == 6  # the criteria
    why = page.one("section", id="why-promising")
    assert VALID_DOSSIER["summary"] in why.text
    assert "points" in why.text


def test_a_published_practice_has_no_selection_summary(app, client):
    practice_id = new_practice(app, "published")
    page = parse(client.get(f"/practices/{practice_id}").data)
    assert page.find("section", id="why-promising") is None


def test_reviewers_see_every_field_the_school_filled_in(app):
    practice_id = new_practice(app, "submitted", **FULL, institution={
        "name": "Colegio Andino", "country": "PE"})
    reviewer = app.test_client()
    login_as(reviewer, new_user(app, "national_coordinator", country="PE"))
    facts = parse(reviewer.get(f"/review/practices/{practice_id}").data).one(
        "dl", class_="revision-facts").text
    for shown in ("Action pillars", "Education levels", "SDG targets", "Emerging issues",
                  "2023", "CC-BY-4.0", "https://example.org/agua", "Peru"):
        assert shown in facts, shown


def test_download_the_selected_with_nothing_ticked_says_so(app, client):
    new_practice(app, "promising")
    login_as(client, new_user(app, "curator"))
    response = client.get("/curation/curated.csv?selected=1", follow_redirects=True)
    assert response.headers["Content-Type"].startswith("text/html")
    assert "No practice is selected" in flashes(parse(response.data))
    everything = client.get("/curation/curated.csv")  # "Download this list" still works
    assert everything.headers["Content-Type"].startswith("text/csv")


def test_country_pickers_offer_the_networks_countries_first(app, client):
    new_practice(app, "published", institution={"name": "Lycée de Dakar", "country": "SN"})
    login_as(client, new_user(app, "curator"))
    picker = parse(client.get("/curation/queue").data).one("select", id="country")
    groups = picker.find_all("optgroup")
    assert [o["value"] for o in groups[0].find_all("option")] == ["SN"]
    assert len(groups[1].find_all("option")) > 200  # then every country


def test_policy_note_countries_are_ticked_not_ctrl_clicked(app, client):
    practice_id = new_practice(app, "promising",
                               institution={"name": "Lycée de Dakar", "country": "SN"})
    login_as(client, new_user(app, "curator"))
    form = parse(client.get(f"/curation/practices/{practice_id}/flag").data)
    boxes = form.one("fieldset", class_="country-choices").find_all("input", type="checkbox")
    assert boxes[0]["value"] == "SN"
    assert form.find("select", attrs={"name": "countries"}) is None


def test_markdown_tables_keep_their_cells(app, client):
    body = "| Week | Task |\n|---|---|\n| 1 | Plant |\n| 2 | Water |\n"
    practice_id = new_practice(app, "published", data=practice_data(3, body=body))
    page = parse(client.get(f"/practices/{practice_id}").data)
    table = page.one("div", class_="practice-body").find("table")
    assert [td.text for td in table.find_all("td")] == ["1", "Plant", "2", "Water"]
