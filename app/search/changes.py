"""Reading the change sequence (SearchChange) so every process catches up with every commit.

Each process remembers the highest sequence number it has applied. PostgreSQL hands out
sequence numbers when rows are inserted, not when transactions commit, so a transaction can
make seq 11 visible while seq 10 is still uncommitted: a reader that only asked for "seq >
last" would skip 10 for ever. The cursor therefore remembers every number below its high-water
mark that it has not seen (a gap), asks for the gaps again on later reads, and forgets a gap
after `gap_seconds` (rolled-back transactions leave numbers that never appear).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from practices.models import SearchChange

# At most this many unseen numbers are remembered (the newest); older ones are dropped.
MAX_GAPS = 10_000


@dataclass
class ChangeCursor:
    """Where a process stands in the change sequence.

    Attributes:
        high: the highest sequence number applied (0: none).
        gaps: unseen numbers below `high` -> time.monotonic() when first missed.
        gap_seconds: how long a gap is waited for.
    """

    high: int = 0
    gaps: dict[int, float] = field(default_factory=dict)
    gap_seconds: float = 300.0

    def to_json(self) -> dict[str, object]:
        """Return the cursor as stored with an index snapshot."""
        return {"high": self.high, "gaps": sorted(self.gaps)}

    @classmethod
    def from_json(cls, value: object, gap_seconds: float) -> ChangeCursor:
        """Rebuild a cursor from `to_json` output; gaps start waiting anew.

        Raises:
            ValueError: `value` is not what to_json writes.
        """
        if not isinstance(value, dict) or not isinstance(value.get("high"), int):
            raise ValueError(f"not a change cursor: {value!r}")
        now = time.monotonic()
        return cls(value["high"], dict.fromkeys(map(int, value.get("gaps", [])), now),
                   gap_seconds)


def latest_seq(session: Session) -> int:
    """Return the highest committed sequence number visible now (0 when there is none)."""
    return session.scalar(select(func.max(SearchChange.seq))) or 0


def start_cursor(session: Session, gap_seconds: float) -> ChangeCursor:
    """Return a cursor for an index built from the database as it is now.

    Numbers below the current maximum that are missing may belong to transactions still in
    flight; the most recent ones are taken as gaps to watch.
    """
    high = latest_seq(session)
    recent = set(session.scalars(
        select(SearchChange.seq).where(SearchChange.seq > high - MAX_GAPS)))
    now = time.monotonic()
    gaps = {s: now for s in range(max(1, high - MAX_GAPS + 1), high) if s not in recent}
    return ChangeCursor(high, gaps, gap_seconds)


def read_changes(session: Session, cursor: ChangeCursor) -> tuple[set[int], ChangeCursor] | None:
    """Return (ids of practices changed since `cursor`, the cursor after them).

    Returns None when the database holds fewer changes than the cursor has seen: it was
    restored or reset, and the index must be rebuilt.
    """
    top = latest_seq(session)
    if top < cursor.high:
        return None
    now = time.monotonic()
    gaps = {s: t for s, t in cursor.gaps.items() if now - t < cursor.gap_seconds}
    if top == cursor.high and not gaps:
        return set(), ChangeCursor(cursor.high, gaps, cursor.gap_seconds)
    wanted = SearchChange.seq > cursor.high
    if gaps:
        wanted = or_(wanted, SearchChange.seq.in_(sorted(gaps)))
    rows = session.execute(
        select(SearchChange.seq, SearchChange.practice_id).where(wanted, SearchChange.seq <= top))
    seen: set[int] = set()
    practice_ids: set[int] = set()
    for seq, practice_id in rows:
        seen.add(seq)
        practice_ids.add(practice_id)
    for seq in range(max(cursor.high + 1, top - MAX_GAPS + 1), top + 1):
        if seq not in seen:
            gaps[seq] = now
    for seq in seen:
        gaps.pop(seq, None)
    if len(gaps) > MAX_GAPS:
        gaps = dict(sorted(gaps.items())[-MAX_GAPS:])
    return practice_ids, ChangeCursor(top, gaps, cursor.gap_seconds)
