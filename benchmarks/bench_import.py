"""Time of importing practices into the database (no embedding: search sync is separate).

Run: python benchmarks/bench_import.py [n_records] [database_url]. Without a URL a fresh SQLite
file in a temporary folder is used; a PostgreSQL URL must name an empty database (it is migrated
here). Records are generated: bodies of ~1,500 characters of Markdown, 300 schools in 29
countries, random tags. Three imports are timed, each committed: the first (all new), the
same file again (all unchanged), and the file with 10% of the titles changed.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from app.db import make_engine
from app.migrate import upgrade
from practices import validate_practice
from practices.permissions import SYSTEM
from practices.services import import_records
from practices.vocab import LEVELS, SDG_TARGETS, THEMES

COUNTRIES = "FR DE ES IT KE TZ NG EG MA JO LB IN CN JP KR TH VN ID PH BR AR MX CL CO PE US CA GB NO"
WORDS = (
    "students school garden compost climate water peace dialogue heritage festival teachers "
    "community recycling energy biodiversity museum letters partner classes workshop"
).split()


def make_records(n: int, seed: int = 1) -> list[dict]:
    """Return n generated import records (deterministic for a seed)."""
    rng = random.Random(seed)
    countries = COUNTRIES.split()
    schools = [(f"School {i}", countries[i % len(countries)]) for i in range(300)]
    return [_record(i, rng, schools) for i in range(n)]


def _record(i: int, rng: random.Random, schools: list[tuple[str, str]]) -> dict:
    name, country = rng.choice(schools)
    paragraphs = [" ".join(rng.choices(WORDS, k=40)) for _ in range(4)]
    body = "## Steps\n\n" + "\n\n".join(paragraphs) + "\n\n- one *item*\n- see https://example.org"
    return {
        "external_id": f"bench-{i:06d}",
        "title": f"Practice {i}: " + " ".join(rng.choices(WORDS, k=6)),
        "summary": " ".join(rng.choices(WORDS, k=25)),
        "body": body,
        "language": rng.choice(["en", "fr", "es", "ar", "zh-Hans", "sw"]),
        "institution": {"name": name, "country": country, "city": "City"},
        "themes": rng.sample(list(THEMES), 2),
        "pillars": [rng.randint(1, 4)],
        "levels": rng.sample(list(LEVELS), 2),
        "sdg_targets": rng.sample(SDG_TARGETS, 3),
        "year": rng.randint(2000, 2024),
    }


def timed_import(factory: sessionmaker, records: list[dict]) -> tuple[float, str]:
    """Import and commit in one session; return (seconds, report)."""
    start = time.perf_counter()
    with factory() as session:
        report = import_records(session, enumerate(records, 1), publish=True, actor=SYSTEM)
        session.commit()
    return time.perf_counter() - start, str(report)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'b.db'}"
    upgrade(url)
    factory = sessionmaker(make_engine(url), expire_on_commit=False)
    records = make_records(n)

    start = time.perf_counter()
    for record in records:
        validate_practice(record)
    print(f"validation alone: {time.perf_counter() - start:.2f} s for {n} records")

    changed = [dict(r, title=r["title"] + " (rev.)") if i % 10 == 0 else r
               for i, r in enumerate(records)]  # fmt: skip
    for label, batch in (("new", records), ("same again", records), ("10% changed", changed)):
        seconds, report = timed_import(factory, batch)
        print(f"{label:12s} {seconds:6.2f} s  {n / seconds:7.0f} records/s  ({report})")


if __name__ == "__main__":
    main()
