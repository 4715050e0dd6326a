"""The bundled demo practices, for trying the product out (`flask practices seed-demo`)."""
from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from sqlalchemy.orm import Session

from practices.demo_accounts import DemoAccount, seed_demo_accounts
from practices.records import JSONL, read_records
from practices.services import ImportReport, import_records

__all__ = ["DEMO_FILE", "DemoAccount", "seed_demo", "seed_demo_accounts"]

DEMO_FILE: Traversable = files("practices") / "data" / "demo_practices.jsonl"
"""JSON Lines in the import format, shipped inside the package (pyproject package-data)."""


def seed_demo(session: Session, path: Traversable = DEMO_FILE) -> ImportReport:
    """Import the demo practices as published; running it again changes nothing.

    Raises:
        ImportFailed: the file has bad records (nothing is written).
    """
    with path.open("rb") as stream:
        return import_records(session, read_records(stream, JSONL), publish=True)

