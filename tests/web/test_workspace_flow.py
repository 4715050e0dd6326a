"""A practice's way through review, walked through the pages by the people who do it: the
school writes and submits, its National Coordinator asks for changes, the school edits and
resubmits, the coordinator publishes; later edits of the public practice are reviewed while
the public version stays online."""
from __future__ import annotations

import pytest

from tests.web.helpers import (
    audit_actions,
    flashes,
    login_as,
    new_user,
    post_action,
    practice_state,
    school_and_editor,
)
from tests.web.html_page import accessibility_problems, parse

CONTENT = {
    "language": "fr", "title": "Un potager au collège", "summary": "Les élèves jardinent.",
    "body": "Nous avons construit des bacs.\n\nLes élèves arrosent chaque jour.",
    "themes": ["esd"],
}  # fmt: skip


@pytest.fixture
def people(app):
    """Signed-in clients of a French school editor and of France's National Coordinator."""
    _, editor = school_and_editor(app, country="FR")
    coordinator = new_user(app, "national_coordinator", country="FR")
    school, nc = app.test_client(), app.test_client()
    login_as(school, editor)
    login_as(nc, coordinator)
    return school, nc


def write(school, **changes) -> int:
    """Save a new draft through the form; return its id (from the page it leads to)."""
    response = school.post("/submit", data={**CONTENT, **changes, "intent": "save"})
    assert response.status_code == 303, response.data
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


@pytest.mark.postgres
def test_draft_changes_requested_resubmitted_and_published(app, people):
    school, nc = people
    practice_id = write(school)

    listing = parse(school.get("/my/practices").data)
    assert "Draft" in listing.one("table", class_="work-list").text
    assert post_action(school, practice_id, "submit", "draft").status_code == 303

    queue = parse(nc.get("/review").data)
    assert "Un potager au collège" in queue.one("table", class_="work-list").text
    note = "Please say how many pupils took part."
    assert post_action(nc, practice_id, "request_changes", "submitted", note).status_code == 303
    assert practice_state(app, practice_id)["status"] == "changes_requested"

    page = parse(school.get(f"/my/practices/{practice_id}").data)
    assert note in page.one("section", id="thread").text
    assert "asked for changes" in page.one("main").text
    edited = {**CONTENT, "body": CONTENT["body"] + "\n\n120 pupils took part.", "intent": "submit"}
    response = school.post(f"/my/practices/{practice_id}/edit", data=edited)
    assert response.status_code == 303
    assert practice_state(app, practice_id)["status"] == "submitted"

    assert post_action(nc, practice_id, "publish", "submitted").status_code == 303
    public = parse(school.get(f"/practices/{practice_id}").data)
    assert "120 pupils took part." in public.one("div", class_="practice-body").text
    assert audit_actions(app, practice_id) == [
        "create", "submit", "request_changes", "edit", "submit", "publish",
    ]  # fmt: skip


def test_a_reviewer_must_say_what_to_change_and_nothing_changes_without_it(app, people):
    school, nc = people
    practice_id = write(school)
    post_action(school, practice_id, "submit", "draft")
    before = practice_state(app, practice_id)

    response = post_action(nc, practice_id, "request_changes", "submitted", note="  ")

    assert response.status_code == 422
    doc = parse(response.data)
    error = doc.one("span", id="note-request_changes-error").text
    assert "say what the school should know" in error
    assert doc.one("textarea", id="note-request_changes")["aria-invalid"] == "true"
    assert accessibility_problems(doc) == []
    assert practice_state(app, practice_id) == before


def test_the_school_and_its_reviewer_talk_in_the_thread(app, people):
    school, nc = people
    practice_id = write(school)
    post_action(school, practice_id, "submit", "draft")

    school.post(f"/my/practices/{practice_id}/comments", data={"body": "Photos are coming."})
    nc.post(f"/review/practices/{practice_id}/comments", data={"body": "Thank you!"})

    for client, url in ((school, f"/my/practices/{practice_id}"),
                        (nc, f"/review/practices/{practice_id}")):
        thread = parse(client.get(url).data).one("section", id="thread")
        bodies = [p.text for p in thread.find_all("p", class_="comment-body")]
        assert bodies == ["Photos are coming.", "Thank you!"]


def test_an_empty_message_is_refused_and_nothing_is_posted(app, people):
    school, _ = people
    practice_id = write(school)

    response = school.post(f"/my/practices/{practice_id}/comments", data={"body": " "})

    assert response.status_code == 422
    assert "is required" in parse(response.data).one("span", id="comment-body-error").text
    assert practice_state(app, practice_id)["comments"] == 0


@pytest.mark.postgres
def test_an_edit_of_a_published_practice_waits_for_review_while_the_public_one_stays(
    app, people
):
    school, nc = people
    practice_id = write(school)
    post_action(school, practice_id, "submit", "draft")
    post_action(nc, practice_id, "publish", "submitted")

    edit = {**CONTENT, "title": "Un potager et un compost", "intent": "submit"}
    assert school.post(f"/my/practices/{practice_id}/edit", data=edit).status_code == 303

    state = practice_state(app, practice_id)
    assert state["status"] == "published" and state["review_status"] == "submitted"
    assert state["revisions"] == [(1, "published"), (2, "submitted")]
    public = parse(school.get(f"/practices/{practice_id}").data)
    assert public.one("h1").text == "Un potager au collège"
    review = parse(nc.get(f"/review/practices/{practice_id}").data)
    changes = review.one("section", id="changes")
    assert "Un potager au collège" in changes.one("del").text
    assert "Un potager et un compost" in changes.one("ins").text
    assert "Edit of a published practice" in parse(nc.get("/review").data).one("main").text

    assert post_action(nc, practice_id, "publish", "submitted").status_code == 303
    public = parse(school.get(f"/practices/{practice_id}").data)
    assert public.one("h1").text == "Un potager et un compost"


def test_the_revision_history_keeps_every_version(app, people):
    school, nc = people
    practice_id = write(school)
    post_action(school, practice_id, "submit", "draft")
    post_action(nc, practice_id, "publish", "submitted")
    school.post(f"/my/practices/{practice_id}/edit",
                data={**CONTENT, "title": "Le potager, an 2", "intent": "save"})

    history = parse(school.get(f"/practices/{practice_id}/revisions").data)
    rows = history.one("tbody").find_all("tr")
    assert [r.find("th").text for r in rows] == ["Revision 2", "Revision 1 (public)"]
    assert [r.find_all("td")[0].text for r in rows] == ["Draft", "Published"]
    second = parse(school.get(f"/practices/{practice_id}/revisions/2").data)
    assert second.one("del").text.endswith("Un potager au collège")
    assert second.one("ins").text.endswith("Le potager, an 2")
    assert accessibility_problems(second) == []
    # The edit is the school's alone until it is submitted; then its reviewer sees it too.
    assert nc.get(f"/practices/{practice_id}/revisions/2").status_code == 404
    post_action(school, practice_id, "submit", "draft")
    second = parse(nc.get(f"/practices/{practice_id}/revisions/2").data)
    assert second.one("ins").text.endswith("Le potager, an 2")


def test_a_submitted_practice_cannot_be_edited_meanwhile(app, people):
    school, _ = people
    practice_id = write(school)
    post_action(school, practice_id, "submit", "draft")
    before = practice_state(app, practice_id)

    page = school.get(f"/my/practices/{practice_id}/edit", follow_redirects=True)
    response = school.post(f"/my/practices/{practice_id}/edit",
                           data={**CONTENT, "title": "Changed meanwhile"})

    assert "cannot be edited now" in flashes(parse(page.data))
    assert response.status_code == 409
    assert practice_state(app, practice_id) == before


def test_the_school_can_withdraw_its_submission(app, people):
    school, nc = people
    practice_id = write(school)
    post_action(school, practice_id, "submit", "draft")

    response = post_action(school, practice_id, "withdraw", "submitted")

    assert response.status_code == 303
    assert practice_state(app, practice_id)["status"] == "withdrawn"
    assert "Nothing is waiting for review." in parse(nc.get("/review").data).one("main").text


def test_another_school_cannot_see_or_touch_the_practice(app, people):
    school, _ = people
    practice_id = write(school)
    other = app.test_client()
    login_as(other, school_and_editor(app, country="FR")[1])
    before = practice_state(app, practice_id)

    assert other.get(f"/my/practices/{practice_id}").status_code == 404
    assert post_action(other, practice_id, "submit", "draft").status_code == 403
    assert other.post(f"/my/practices/{practice_id}/edit", data=CONTENT).status_code == 404
    assert practice_state(app, practice_id) == before
    assert "Un potager" not in parse(other.get("/my/practices").data).one("main").text
