"""The one place tests and benchmarks learn where ../shared/data (and ../shared/tools) is.

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


def shared_tool(name: str) -> Path:
    """Return the path of a shared tool (the `tools` folder beside the shared data folder).

    Raise FileNotFoundError naming the setting that moves it.
    """
    path = SHARED_DATA.parent / "tools" / name
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: set PRACTICE_EXCHANGE_SHARED_DATA to the shared data folder "
            "(its sibling `tools` holds the shared tools)"
        )
    return path
