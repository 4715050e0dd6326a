"""Fixtures of the domain tests: valid records to vary, and a counter of SQL statements."""
from __future__ import annotations

import pytest
from sqlalchemy import event


def make_record(n: int = 1, **overrides) -> dict:
    """Return a valid import record (JSON shape); `overrides` replace or add fields."""
    record = {
        "external_id": f"test-{n:05d}",
        "title": f"School garden {n}",
        "summary": "Pupils grow vegetables.",
        "body": f"Pupils of class {n} grow *vegetables* and compost waste.\n\n- soil\n- seeds",
        "language": "fr",
        "country": "FR",
        "institution": {"name": "Lycée Jean Moulin", "city": "Lyon", "country": "FR"},
        "themes": ["esd"],
        "pillars": [1],
        "sdg_targets": ["4.7"],
        "year": 2023,
    }
    record.update(overrides)
    return record


@pytest.fixture
def record():
    """The make_record factory."""
    return make_record


@pytest.fixture
def sql_statements(session):
    """A list that collects the SQL text of every statement the session's engine runs."""
    statements: list[str] = []
    engine = session.get_bind()

    def collect(_conn, _cursor, statement, _params, _context, _many):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", collect)
    yield statements
    event.remove(engine, "before_cursor_execute", collect)
