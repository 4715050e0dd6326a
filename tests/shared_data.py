"""The one place tests and benchmarks learn where ../shared/data is.

Set PRACTICE_EXCHANGE_SHARED_DATA to move it. A missing folder fails loudly: CI must never
pass by silently skipping the real-data tests.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(
    os.environ.get("PRACTICE_EXCHANGE_SHARED_DATA", REPO_ROOT.parent / "shared" / "data")
)


def shared_file(*parts: str) -> Path:
    """Return the path of a shared data file; raise FileNotFoundError naming the setting."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: set PRACTICE_EXCHANGE_SHARED_DATA to the shared data folder"
        )
    return path
