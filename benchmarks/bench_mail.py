"""E-mail: what queuing costs a request, how fast the deliverer empties the outbox, and
whether the forgot-password form takes as long for an unknown address as for a known one.

Run: python benchmarks/bench_mail.py [--messages 300] [--requests 200]. SQLite in a temporary
folder, the hashing encoder, a real SMTP server (aiosmtpd) on 127.0.0.1 (port from
MAIL_BENCH_PORT, default 51450). Prints JSON; ratios are what to compare between machines.

- publish: median time of the review page's publish (POST, test client) of practices whose
  school has 0 and 5 editors (5 outbox rows written in the same transaction).
- deliver: messages per second sent by one deliverer pass (claim, compose in the
  recipient's language, send over SMTP, mark sent: two commits per message).
- forgot: median and p90 response time of POST /auth/forgot for an address with an account
  and one without, interleaved; their ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    from argon2 import profiles

    from app import create_app
    from app.migrate import upgrade
    from practices import passwords
    from tests.web.mail_server import SMTPServer, mail_config

    passwords.use_parameters(profiles.CHEAPEST)  # the form never hashes; sign-ins do
    folder = tempfile.mkdtemp(prefix="bench_mail_")
    url = f"sqlite:///{folder}/bench.db"
    upgrade(url)
    server = SMTPServer(int(os.environ.get("MAIL_BENCH_PORT", "51450")))
    server.start()
    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url, "ENCODER": "hashing",
        "SEARCH_INDEX_DIR": f"{folder}/idx", "SEARCH_WARM_UP": False, "SEARCH_NEUTRALIZER": False,
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "MAIL_DELIVERY": "command",
        **mail_config(server.port),
    })  # fmt: skip
    try:
        result = {
            "publish": bench_publish(app),
            "deliver": bench_deliver(app, server, args.messages),
            "forgot": bench_forgot(app, args.requests),
        }
    finally:
        server.stop()
    print(json.dumps(result, indent=2))


def bench_publish(app) -> dict:
    from tests.factories import make_institution, make_practice, make_user
    from tests.web.helpers import committed, login_as, post_action

    def practices(editors: int) -> list[int]:
        def make(session):
            school = make_institution(session)
            authors = [make_user(session, "school_editor", institution=school)
                       for _ in range(max(editors, 1))]
            ids = [make_practice(session, status="submitted", author=authors[0]).id
                   for _ in range(30)]
            if editors == 0:
                for author in authors:
                    author.active = False  # nobody to tell
            return ids
        return committed(app, make)

    coordinator = committed(app, lambda s: make_user(s, "national_coordinator", country="FR"))
    client = app.test_client()
    login_as(client, coordinator)
    timings = {}
    for editors in (0, 5):
        ids = practices(editors)
        times = []
        for pid in ids:
            start = time.perf_counter()
            post_action(client, pid, "publish", "submitted")
            times.append(time.perf_counter() - start)
        timings[f"{editors}_editors_ms"] = round(statistics.median(times) * 1000, 2)
    timings["ratio"] = round(timings["5_editors_ms"] / timings["0_editors_ms"], 3)
    return timings


def bench_deliver(app, server, count: int) -> dict:
    from app.db import get_session
    from app.mail.delivery import deliver_pending
    from practices.models import User
    from practices.services.notify import queue
    from tests.factories import make_practice, make_user

    with app.app_context():
        deliver_pending(get_session())  # what the publish step queued
        server.inbox.messages.clear()
        session = get_session()
        user = make_user(session, "school_editor")
        practice = make_practice(session, status="draft", author=user)
        for n in range(count):
            queue(session, "published", session.get(User, user.id), event=f"bench{n}",
                  practice=practice, params={"title": f"Practice {n}"})
        session.commit()
        start = time.perf_counter()
        report = deliver_pending(get_session(), limit=count)
        seconds = time.perf_counter() - start
    assert len(report.sent) == count == len(server.inbox.messages)
    return {"messages": count, "seconds": round(seconds, 2),
            "per_second": round(count / seconds, 1)}


def bench_forgot(app, requests: int) -> dict:
    from tests.factories import make_user
    from tests.web.helpers import committed

    known = committed(app, lambda s: make_user(s, "school_editor")).email
    client = app.test_client()
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for n in range(requests):
        for label, address in (("known", known), ("unknown", f"nobody{n}@bench.example")):
            start = time.perf_counter()
            client.post("/auth/forgot", data={"email": address})
            times[label].append(time.perf_counter() - start)
    result = {label: {"median_ms": round(statistics.median(t) * 1000, 2),
                      "p90_ms": round(statistics.quantiles(t, n=10)[-1] * 1000, 2)}
              for label, t in times.items()}
    result["median_ratio_known_to_unknown"] = round(
        result["known"]["median_ms"] / result["unknown"]["median_ms"], 3)
    return result


if __name__ == "__main__":
    main()
