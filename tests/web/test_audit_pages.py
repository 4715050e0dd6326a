"""The audit log pages: curators and administrators browse who did what (filters, pages) and
export it as CSV; nobody else sees it."""
from __future__ import annotations

import csv
import io

import pytest

from app.accounts import audit
from app.db import get_session
from practices.models import User
from tests.web.helpers import login_as, new_practice, new_user, post_action
from tests.web.html_page import accessibility_problems, parse


@pytest.fixture
def history(app, client):
    """A published practice and a submitted one, made through the workflow; `client` signed in
    as a curator. Returns (published id, submitted id, reviewer id)."""
    published = new_practice(app, "published")
    submitted = new_practice(app, "submitted")
    nc = new_user(app, "national_coordinator", country="FR")
    reviewer = app.test_client()
    login_as(reviewer, nc)
    post_action(reviewer, submitted, "request_changes", "submitted", note="Add photos.")
    login_as(client, new_user(app, "curator"))
    return published, submitted, nc.id


def rows(doc) -> list[list[str]]:
    return [[td.text for td in tr.find_all("td")]
            for tr in doc.one("table", class_="audit-table").one("tbody").find_all("tr")]


def test_entries_are_listed_newest_first_with_who_what_and_why(client, history):
    doc = parse(client.get(f"/audit?practice={history[1]}").data)

    first = rows(doc)[0]
    assert first[2] == "Request changes"  # what the action is called, not its code
    assert first[3].startswith("School garden")  # the practice's title, not its number
    assert first[4:] == ["Submitted for review", "Changes requested", "Add photos."]
    assert first[1]  # the coordinator's name
    assert accessibility_problems(doc) == []


@pytest.mark.postgres
def test_filters_narrow_by_practice_user_action_and_dates(client, history):
    published, submitted, reviewer = history

    by_practice = rows(parse(client.get(f"/audit?practice={published}").data))
    by_user = rows(parse(client.get(f"/audit?user={reviewer}").data))
    by_action = rows(parse(client.get("/audit?action=publish").data))
    future = parse(client.get("/audit?since=2999-01-01").data)
    today = rows(parse(client.get("/audit?until=2999-01-01&action=submit").data))

    assert [r[2] for r in by_practice] == ["Publish", "Submit for review", "Created"]
    assert [r[2] for r in by_user] == ["Request changes"]
    assert len(by_action) == 1 and by_action[0][2] == "Publish"
    assert future.find("table", class_="audit-table") is None
    assert len(today) == 2


def test_the_log_is_shown_one_page_at_a_time(app, client, history, monkeypatch):
    monkeypatch.setattr(audit, "PER_PAGE", 2)

    first = parse(client.get("/audit").data)
    second = parse(client.get(first.one("a", rel="next")["href"]).data)

    assert len(rows(first)) == 2 and len(rows(second)) == 2
    assert rows(first) != rows(second)
    assert "Page 2 of" in second.one("nav", class_="pagination").text


@pytest.mark.postgres
def test_the_csv_export_holds_the_filtered_entries_oldest_first(client, history):
    published, _, _ = history

    response = client.get(f"/audit.csv?practice={published}")

    assert "attachment" in response.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [r["Action"] for r in table] == ["create", "Submit for review", "Publish"]
    assert table[-1]["Status before"] == "Submitted for review"
    assert table[-1]["Status after"] == "Published"
    page = parse(client.get(f"/audit?practice={published}").data)
    assert page.one("p", class_="exports").one("a")["href"] == f"/audit.csv?practice={published}"


def test_a_bad_date_is_explained(client, history):
    response = client.get("/audit?since=yesterday")

    assert response.status_code == 422
    assert "YYYY-MM-DD" in parse(response.data).one("main").text


def test_administrators_see_the_log_too(app, client, history):
    login_as(client, new_user(app, "administrator"))

    assert client.get("/audit").status_code == 200
    assert client.get("/audit.csv").status_code == 200


@pytest.mark.parametrize("role", ["school_editor", "national_coordinator"])
def test_schools_and_coordinators_do_not(app, client, role):
    login_as(client, new_user(app, role, country="FR" if role == "national_coordinator" else None))

    assert client.get("/audit").status_code == 403
    assert client.get("/audit.csv").status_code == 403


def test_visitors_are_sent_to_sign_in(app):
    response = app.test_client().get("/audit")

    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_entries_are_found_by_words_of_the_title_and_of_who_acted(app, client, history):
    published, submitted, _ = history
    title = new_practice(app, "submitted", title="Jardín escolar en Cusco")

    by_title = rows(parse(client.get("/audit?title=jardín ESCOLAR").data))
    assert {r[3].split(" (")[0].strip() for r in by_title} == {"Jardín escolar en Cusco"}
    assert len(by_title) == 2 and title  # created, submitted

    with app.app_context():
        reviewer = get_session().get(User, history[2])
        address, name = reviewer.email, reviewer.name
    for words in (address.upper(), name):
        by_who = rows(parse(client.get("/audit", query_string={"who": words}).data))
        assert [r[2] for r in by_who] == ["Request changes"], words
    nothing = parse(client.get("/audit", query_string={"who": "%"}).data)
    assert nothing.find("table", class_="audit-table") is None  # % is a character here
