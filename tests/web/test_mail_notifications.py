"""Who is told what by e-mail, as the recipients notice it: the messages a real SMTP server
received (words in the recipient's language, a link that opens the page), an unsubscribe
link that stops that kind only, the National Coordinator's daily digest, a curator's watch."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import get_session
from app.mail.delivery import deliver_pending
from practices.models import Practice, User
from practices.services import add_comment
from tests.factories import make_practice
from tests.web.helpers import committed, login_as, new_user, post_action, school_and_editor
from tests.web.mail_server import body, links, mail_config, path_of, smtp  # noqa: F401

pytestmark = pytest.mark.postgres


@pytest.fixture
def app_config(app_config, smtp):  # noqa: F811
    """The test app, sending through the test SMTP server."""
    return {**app_config, **mail_config(smtp.port)}


def deliver(app):
    """Run one pass of the deliverer, as `flask mail deliver` does."""
    with app.app_context():
        return deliver_pending(get_session())


def practice_by(app, editor_id: int, status: str = "submitted", **fields) -> int:
    """Return the id of a practice of `editor_id`'s school walked to `status`."""
    return committed(app, lambda s: make_practice(
        s, status=status, author=s.get(User, editor_id), **fields).id)


def test_a_request_for_changes_reaches_the_school_in_french_with_a_link_to_the_practice(
        app, client, smtp):  # noqa: F811
    # The account's interface language comes with the i18n work (users.ui_language); until
    # then the default language of messages decides, and this one is French.
    app.config["MAIL_DEFAULT_LANGUAGE"] = "fr"
    _, editor = school_and_editor(app)
    coordinator = new_user(app, "national_coordinator", country="FR")
    pid = practice_by(app, editor.id, title="Jardin partagé")
    login_as(client, coordinator)
    post_action(client, pid, "request_changes", "submitted", note="Ajoutez des photos.")
    assert smtp.inbox.to(editor.email) == []  # nothing is sent inside the request

    deliver(app)

    [message] = smtp.inbox.to(editor.email)
    assert message["Subject"] == "Modifications demandées : Jardin partagé"
    assert "Ajoutez des photos." in body(message)
    assert "demande des modifications à votre pratique « Jardin partagé »" in body(message)
    link = links(message)[0]
    assert link.startswith("http://practices.test/")
    school = client.application.test_client()
    login_as(school, editor)
    page = school.get(path_of(link))
    assert page.status_code == 200
    assert "Jardin partagé" in page.get_data(as_text=True)


def test_a_message_is_sent_once_however_often_the_deliverer_runs(app, client, smtp):  # noqa: F811
    _, editor = school_and_editor(app)
    practice_by(app, editor.id, status="published", title="Compost")
    deliver(app)
    deliver(app)
    subjects = [m["Subject"] for m in smtp.inbox.to(editor.email)]
    assert subjects == ["Published: Compost"]


def test_one_click_unsubscribe_stops_that_kind_of_message_only(app, client, smtp):  # noqa: F811
    _, editor = school_and_editor(app)
    coordinator = new_user(app, "national_coordinator", country="FR")
    first = practice_by(app, editor.id, title="First")
    login_as(client, coordinator)
    post_action(client, first, "request_changes", "submitted", note="More detail, please.")
    deliver(app)
    [message] = smtp.inbox.to(editor.email)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop = message["List-Unsubscribe"].strip().strip("<>")
    assert stop in links(message)

    anonymous = app.test_client()
    shown = anonymous.get(path_of(stop))  # a link checker opening it changes nothing
    assert shown.status_code == 200 and "<form" in shown.get_data(as_text=True)
    # What a mail program sends for RFC 8058 one-click: a POST, no cookie, no CSRF token.
    done = anonymous.post(path_of(stop), data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200

    second = practice_by(app, editor.id, title="Second")
    post_action(client, second, "request_changes", "submitted", note="Again.")
    third = practice_by(app, editor.id, title="Third")
    post_action(client, third, "publish", "submitted")
    deliver(app)
    subjects = [m["Subject"] for m in smtp.inbox.to(editor.email)]
    assert subjects == ["Changes requested: First", "Published: Third"]


def test_a_forged_unsubscribe_link_is_refused(client):
    assert client.post("/mail/unsubscribe/not-a-token").status_code == 400


def test_the_coordinator_hears_of_a_submission_and_its_link_opens_the_review_page(
        app, client, smtp):  # noqa: F811
    _, editor = school_and_editor(app)
    coordinator = new_user(app, "national_coordinator", country="FR")
    new_user(app, "national_coordinator", country="SN")
    pid = practice_by(app, editor.id, title="Radio club")
    login_as(client, coordinator)
    post_action(client, pid, "request_changes", "submitted", note="Shorter, please.")
    school = app.test_client()
    login_as(school, editor)
    post_action(school, pid, "submit", "changes_requested")
    deliver(app)

    received = smtp.inbox.to(coordinator.email)
    assert [m["Subject"] for m in received] == ["To review: Radio club",
                                                "Submitted again: Radio club"]
    assert [m["X-Envelope-To"] for m in smtp.inbox.messages].count(coordinator.email) == 2
    assert len(smtp.inbox.messages) == 3  # and the school's request for changes; not SN's
    page = client.get(path_of(links(received[0])[0]))
    assert page.status_code == 200 and "Radio club" in page.get_data(as_text=True)


def test_a_coordinator_who_chose_the_daily_digest_gets_one_message_listing_the_day(
        app, client, runner, smtp):  # noqa: F811
    _, editor = school_and_editor(app)
    coordinator = new_user(app, "national_coordinator", country="FR")
    login_as(client, coordinator)
    saved = client.post("/account/email", data={
        "kinds": ["submitted", "resubmitted"], "daily_digest": "1"})
    assert saved.status_code == 302
    practice_by(app, editor.id, title="Choir")
    practice_by(app, editor.id, title="Chess club")
    deliver(app)
    assert smtp.inbox.to(coordinator.email) == []

    result = runner.invoke(args=["mail", "digest"])
    assert "digests queued: 1" in result.output
    deliver(app)
    assert "digests queued: 0" in runner.invoke(args=["mail", "digest"]).output
    deliver(app)

    [digest] = smtp.inbox.to(coordinator.email)
    assert digest["Subject"] == "Submissions to review: 2"
    assert "Choir" in body(digest) and "Chess club" in body(digest)
    assert "/review/practices/" in body(digest)


def test_a_curator_hears_of_publications_that_fit_their_watch_only(app, client, smtp):  # noqa: F811
    curator = new_user(app, "curator")
    login_as(client, curator)
    page = client.get("/account/email")
    assert "watch_themes" in page.get_data(as_text=True)
    client.post("/account/email", data={"kinds": ["watch_published"],
                                        "watch_themes": ["esd"], "watch_countries": ["FR"]})
    _, french = school_and_editor(app, "FR")
    _, senegalese = school_and_editor(app, "SN")
    practice_by(app, french.id, status="published", title="Bees", themes=["esd"])
    practice_by(app, french.id, status="published", title="Pen pals", themes=["intercultural"])
    practice_by(app, senegalese.id, status="published", title="Mangroves", themes=["esd"])
    deliver(app)
    assert [m["Subject"] for m in smtp.inbox.to(curator.email)] == [
        "Published, fits your watch: Bees"]


def test_the_school_hears_of_a_comment_but_not_of_its_own(app, smtp):  # noqa: F811
    _, editor = school_and_editor(app)
    coordinator = new_user(app, "national_coordinator", country="FR")
    pid = practice_by(app, editor.id, title="Murals")

    def comment(session, author_id, text):
        add_comment(session, pid, text, actor=session.get(User, author_id))

    committed(app, lambda s: comment(s, coordinator.id, "Lovely photos!"))
    committed(app, lambda s: comment(s, editor.id, "Thank you."))
    deliver(app)
    [message] = smtp.inbox.to(editor.email)
    assert message["Subject"] == "New comment: Murals"
    assert "Lovely photos!" in body(message)


def test_the_preferences_page_turns_a_kind_off(app, client, smtp):  # noqa: F811
    _, editor = school_and_editor(app)
    login_as(client, editor)
    page = client.get("/account/email").get_data(as_text=True)
    assert "One of our practices is published" in page
    kinds = ["changes_requested", "declined", "promoted", "flagged", "comment"]
    assert client.post("/account/email", data={"kinds": kinds}).status_code == 302
    practice_by(app, editor.id, status="published", title="Quiet")
    deliver(app)
    assert smtp.inbox.to(editor.email) == []
    with app.app_context():
        title = get_session().scalar(select(Practice.title))
    assert title == "Quiet"
