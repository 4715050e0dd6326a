"""The bundled demo practices, for trying the product out (`flask practices seed-demo`)."""
from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from sqlalchemy.orm import Session

from practices.demo_accounts import DemoAccount, seed_demo_accounts
from practices.permissions import Actor
from practices.records import JSONL, read_records
from practices.services import ImportReport, ValidRecords, import_records, validate_records

__all__ = ["DEMO_FILE", "DemoAccount", "demo_records", "seed_demo", "seed_demo_accounts"]

DEMO_FILE: Traversable = files("practices") / "data" / "demo_practices.jsonl"
"""JSON Lines in the import format, shipped inside the package (pyproject package-data)."""


def demo_records(path: Traversable = DEMO_FILE) -> ValidRecords:
    """Return the demo practices, checked (see services.validate_records).

    Raises:
        ImportFailed: the file has bad records.
    """
    with path.open("rb") as stream:
        return validate_records(read_records(stream, JSONL))


def seed_demo(session: Session, records: ValidRecords | None = None, *,
              actor: Actor) -> ImportReport:
    """Import the demo practices (default: demo_records()) as published; running it again
    changes nothing. Flushes; the caller's commit also stores their search vectors.

    Raises:
        PermissionDenied: the actor is not the system.
        ImportFailed: the file has bad records (nothing is written).
    """
    return import_records(session, records or demo_records(), actor=actor, publish=True)

