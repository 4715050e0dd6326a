"""After signing out: the browser keeps no copy of what the person was shown (Back shows
nothing of theirs), and a form of a page shown before sign-out says the session ended and
leads back through sign-in, instead of a bare CSRF error."""
from __future__ import annotations

from tests.web.helpers import csrf_token, flashes, login_as, logout, new_practice, practice_state
from tests.web.html_page import parse


def test_private_pages_are_not_stored_and_public_ones_may_be(app, client, make_account):
    practice_id = new_practice(app, "submitted")  # a French school's
    assert client.get("/").cache_control.no_store is not True  # a visitor's public page

    login_as(client, make_account("national_coordinator", country="FR"))
    review = client.get(f"/review/practices/{practice_id}")
    assert review.status_code == 200 and review.cache_control.no_store is True
    assert client.get("/").cache_control.no_store is True  # it names the person

    logout(client)
    back = client.get(f"/review/practices/{practice_id}")
    assert back.status_code == 302 and "/auth/login" in back.headers["Location"]


def _form_left_open_after_sign_out(app, client, account):
    practice_id = new_practice(app, "submitted")
    login_as(client, account)
    page = f"/review/practices/{practice_id}"
    token = csrf_token(client, page)
    logout(client)
    form = {"csrf_token": token, "expected_status": "submitted", "note": ""}
    response = client.post(f"{page}/publish", data=form,
                           headers={"Referer": f"http://localhost{page}"})
    return practice_id, page, response


def test_a_form_sent_after_sign_out_asks_to_sign_in_again(csrf_app, csrf_client,
                                                          make_account):
    account = make_account("national_coordinator", country="FR")
    practice_id, page, response = _form_left_open_after_sign_out(csrf_app, csrf_client, account)

    assert response.status_code == 303
    assert response.headers["Location"] == f"/auth/login?next={page}"
    login_page = parse(csrf_client.get(response.headers["Location"]).data)
    assert "Your session has ended" in flashes(login_page)
    assert "CSRF" not in login_page.one("main").text
    assert practice_state(csrf_app, practice_id)["status"] == "submitted"
    # Signing in again leads back to the page the form was on.
    assert login_as(csrf_client, account, next=page).headers["Location"] == page


def test_the_session_ended_message_is_in_the_visitors_language(csrf_app, csrf_client,
                                                               make_account):
    csrf_client.get("/interface-language/fr")
    account = make_account("national_coordinator", country="FR")
    _, _, response = _form_left_open_after_sign_out(csrf_app, csrf_client, account)

    message = flashes(parse(csrf_client.get(response.headers["Location"]).data))
    assert "Votre session a pris fin" in message
