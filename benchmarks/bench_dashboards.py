"""Dashboard timings at 100,000 practices (issue 12: "the page loads in under a second").

Run: python benchmarks/bench_dashboards.py [--practices 100000] [--database-url URL]
     [--repeat 5]   (default database: a fresh SQLite file; give a PostgreSQL URL to time
     production's engine: its schema is dropped and migrated again)

Builds the data by bulk insert (SQLAlchemy Core executemany, not the services: the services
would take hours at this size): 2,000 institutions in 150 countries of the UNESCO regions
(Zipf-like sizes: the largest country holds ~9% of them), 90% members, 5% applicants, 5%
suspended; practices spread over 2018-2025, 85% public (of which 5% promising, 1% flagged),
the rest submitted, changes requested, draft or declined; 1-2 themes, 1-2 pillars, 1-2
levels, 0-3 SDG targets and 0-2 emerging issues each (~6.5 tags); one revision each and a
"submit" and decision audit entry for every reviewed one (turnaround 1-60 days).
Then times (MONITORING_CACHE_SECONDS=0: every request computes), through the Flask test
client signed in as a curator and as the National
Coordinator of the largest country, the network, region and country dashboards and one CSV:
the first request and the median of --repeat more. Prints a table; writes
benchmarks/results/bench_dashboards_<engine>.json.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from app import create_app  # noqa: E402
from app.db import get_session  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from practices import vocab  # noqa: E402
from practices.models import (  # noqa: E402
    AuditEntry,
    Institution,
    Practice,
    PracticeRevision,
    PracticeTag,
)
from practices.permissions import SYSTEM  # noqa: E402
from practices.regions import country_regions  # noqa: E402
from practices.services import create_user  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
PASSWORD = "bench password 123"
BATCH = 10_000
LANGUAGES = ("en", "fr", "es", "ar", "zh-Hans", "ru", "pt", "sw", "de", "ja")
STATUSES = (["published"] * 79 + ["promising"] * 5 + ["flagged_for_policy"] * 1
            + ["submitted"] * 6 + ["changes_requested"] * 4 + ["draft"] * 3 + ["declined"] * 2)


def build(url: str, n_practices: int, seed: int = 12) -> None:
    """Fill the (empty, migrated) database."""
    rng = random.Random(seed)
    engine = create_engine(url)
    countries = sorted(country_regions())[:150]
    weights = [1 / (i + 1) ** 0.8 for i in range(len(countries))]
    rng.shuffle(countries)
    now = datetime(2025, 12, 31, tzinfo=UTC)
    institutions = []
    for i in range(2000):
        country = rng.choices(countries, weights)[0]
        institutions.append({
            "id": i + 1, "name": f"School {i + 1}", "country": country, "city": "City",
            "levels": rng.sample(list(vocab.LEVELS), rng.randint(1, 2)),
            "sector": rng.choice(("public", "private", None)),
            "locality": rng.choice(("urban", "rural", None)),
            "membership": rng.choices(("member", "applicant", "suspended"), (90, 5, 5))[0],
            "created_at": now})
    with engine.begin() as conn:
        conn.execute(insert(Institution), institutions)
    start = datetime(2018, 1, 1, tzinfo=UTC)
    span = (now - start).total_seconds()
    audit_id = 1
    for first in range(0, n_practices, BATCH):
        practices, tags, revisions, audit = [], [], [], []
        for pid in range(first + 1, min(first + BATCH, n_practices) + 1):
            school = institutions[rng.randrange(len(institutions))]
            status = rng.choice(STATUSES)
            submitted = start + timedelta(seconds=rng.random() * span)
            decided = submitted + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 23))
            public = status in ("published", "promising", "flagged_for_policy")
            practices.append({
                "id": pid, "external_id": f"bench-{pid}", "title": f"Practice {pid}",
                "summary": "", "body": "Text.", "body_html": "<p>Text.</p>",
                "language": rng.choice(LANGUAGES), "country": school["country"],
                "institution_id": school["id"], "status": status, "created_at": submitted,
                "updated_at": decided, "published_at": decided if public else None,
                "current_revision_no": 1})
            tag_set = {("theme", t) for t in rng.sample(list(vocab.THEMES), rng.randint(1, 2))}
            tag_set |= {("pillar", str(p)) for p in rng.sample(list(vocab.PILLARS),
                                                                rng.randint(1, 2))}
            tag_set |= {("level", v) for v in rng.sample(list(vocab.LEVELS), rng.randint(1, 2))}
            tag_set |= {("sdg_target", v) for v in rng.sample(vocab.SDG_TARGETS[:60],
                                                               rng.randint(0, 3))}
            tag_set |= {("emerging_issue", v) for v in rng.sample(list(vocab.EMERGING_ISSUES),
                                                                  rng.randint(0, 2))}
            tags += [{"practice_id": pid, "kind": k, "value": v} for k, v in tag_set]
            revisions.append({
                "practice_id": pid, "number": 1, "status": status, "title": f"Practice {pid}",
                "summary": "", "body": "Text.", "body_html": "<p>Text.</p>", "language": "en",
                "country": school["country"], "tags": {}, "created_at": submitted,
                "updated_at": decided})
            if status == "draft":
                continue
            audit.append({"id": audit_id, "at": submitted, "actor_label": "bench",
                          "action": "submit", "practice_id": pid, "revision_no": 1,
                          "note": "", "details": {}})
            audit_id += 1
            if status != "submitted":
                action = {"changes_requested": "request_changes", "declined": "decline"}.get(
                    status, "publish")
                audit.append({"id": audit_id, "at": decided, "actor_label": "bench",
                              "action": action, "practice_id": pid, "revision_no": 1,
                              "note": "", "details": {}})
                audit_id += 1
        with engine.begin() as conn:
            conn.execute(insert(Practice), practices)
            conn.execute(insert(PracticeTag), tags)
            conn.execute(insert(PracticeRevision), revisions)
            conn.execute(insert(AuditEntry), audit)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in ("institutions", "practices", "audit_log"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
        conn.execute(text("ANALYZE"))
    engine.dispose()


def _largest(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        largest = conn.execute(text("SELECT country FROM practices GROUP BY country "
                                    "ORDER BY count(*) DESC LIMIT 1")).scalar()
    engine.dispose()
    return largest


def fresh_database(url: str | None) -> str:
    """Return a migrated, empty database URL (a PostgreSQL one is wiped first)."""
    if url is None:
        return f"sqlite:///{tempfile.mkdtemp(prefix='bench-dash-')}/bench.db"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def timed(client, path: str, repeat: int) -> dict:
    """Return the first and the median request time of `path` in ms (fails on non-200)."""
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    return {"first_ms": round(times[0], 1), "median_ms": round(statistics.median(times[1:]), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true",
                        help="time the pages on the database a previous run built")
    args = parser.parse_args()
    if args.reuse:
        url, build_s = args.database_url, 0.0
        largest = _largest(url)
    else:
        url = fresh_database(args.database_url)
        upgrade(url)
        started = time.perf_counter()
        build(url, args.practices)
        build_s = time.perf_counter() - started
        largest = _largest(url)
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url,
                      "ENCODER": "hashing", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SEARCH_WARM_UP": False,
                      # Every request computes its dashboard: the cost, not the cache, is timed.
                      "MONITORING_CACHE_SECONDS": 0,
                      "SEARCH_INDEX_DIR": tempfile.mkdtemp(prefix="bench-dash-idx-")})
    with app.app_context():
        session = get_session()
        for email in ("curator@bench.example", "nc@bench.example"):
            session.execute(text("DELETE FROM users WHERE email = :e"), {"e": email})
        create_user(session, "curator@bench.example", "curator", password=PASSWORD,
                    actor=SYSTEM)
        create_user(session, "nc@bench.example", "national_coordinator", password=PASSWORD,
                    country=largest, actor=SYSTEM)
        session.commit()
    pages = {}
    for email, paths in (
        ("curator@bench.example", ["/monitoring/network", "/monitoring/regions/africa",
                                   "/monitoring/regions/europe_north_america",
                                   "/monitoring/network/countries.csv"]),
        ("nc@bench.example", [f"/monitoring/countries/{largest}",
                              f"/monitoring/countries/{largest}/sdg_targets.csv"]),
    ):
        client = app.test_client()
        client.post("/auth/login", data={"email": email, "password": PASSWORD})
        for path in paths:
            pages[path] = timed(client, path, args.repeat)
    app.extensions["db_engine"].dispose()
    report = {"engine": url.split(":")[0], "practices": args.practices,
              "build_seconds": round(build_s, 1), "largest_country": largest,
              "pages": pages, "measured_at": datetime.now(UTC).isoformat(timespec="seconds")}
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"bench_dashboards_{report['engine'].split('+')[0]}.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2) + "\n")
    print(f"{args.practices:,} practices on {report['engine']}, built in {build_s:.1f} s")
    print("| page | first request ms | median of next ms |\n|---|---|---|")
    for path, t in pages.items():
        print(f"| `{path}` | {t['first_ms']} | {t['median_ms']} |")


if __name__ == "__main__":
    main()
