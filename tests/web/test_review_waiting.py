"""The National Coordinator's review queue: counts, and the second list "waiting for the
school" (submissions sent back with a request for changes)."""
from __future__ import annotations

import pytest

from tests.web.helpers import login_as, new_user
from tests.web.html_page import accessibility_problems, parse

pytestmark = pytest.mark.postgres


def test_the_queue_counts_both_lists_and_shows_what_waits_for_the_school(app, client,
                                                                          add_practice):
    coordinator = new_user(app, "national_coordinator", country="FR")
    add_practice("submitted", title="Awaiting review")
    add_practice("changes_requested", title="Sent back one")
    add_practice("changes_requested", title="Sent back two")
    add_practice("changes_requested", title="Kenyan one", institution={"name": "Nairobi School",
                                                                        "country": "KE"})
    login_as(client, coordinator)
    doc = parse(client.get("/review").data)
    counts = doc.one("p", class_="queue-counts").text
    assert "1 waiting for review" in counts and "2 waiting for the school" in counts
    review, at_school = doc.find_all("table", class_="work-list")
    assert [r.find("th").text for r in review.one("tbody").find_all("tr")] == ["Awaiting review"]
    assert [r.find("th").text for r in at_school.one("tbody").find_all("tr")] == [
        "Sent back one", "Sent back two"]
    assert accessibility_problems(doc) == []


def test_the_queue_says_when_no_school_is_asked_for_changes(app, client):
    login_as(client, new_user(app, "national_coordinator", country="FR"))
    assert "No school is asked for changes." in client.get("/review").get_data(as_text=True)
