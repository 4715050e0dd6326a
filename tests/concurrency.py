"""Helpers of the concurrency tests: fire requests at the same moment, from threads with their
own clients (so their own database sessions and connections), and make the race as tight as
it can be without timing anything."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy import event

_WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def writes_wait_for_each_other(app, parties: int = 2, patience: float = 3.0) -> Iterator[None]:
    """While open, the first write statement of each of `parties` request threads waits until
    the others have come as far (at most `patience` seconds).

    A request that decides on state it read before taking the lock (the bug) reaches its first
    write with its decision already made, so two of them meet here and both write. A request
    that locks before it reads cannot get here while the other holds the lock: the first
    waits out its patience alone, commits, and only then does the second read. So the race
    is as tight as possible without any timed assertion: the outcome, not a duration, is
    what the tests check.
    """
    barrier = threading.Barrier(parties)
    arrived: set[int] = set()
    main = threading.get_ident()

    def meet(_conn, _cursor, statement, _params, _context, _many):
        me = threading.get_ident()
        if me == main or me in arrived or not statement.lstrip().upper().startswith(_WRITES):
            return
        arrived.add(me)
        try:
            barrier.wait(patience)
        except threading.BrokenBarrierError:
            pass  # the other could not come this far: it is waiting for the lock

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", meet)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", meet)


def at_once(calls: Sequence[Callable[[], object]]) -> list:
    """Run every call in its own thread, released together; return their results in order.

    Raises whatever a call raised (after all have finished)."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait(30)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [f.result() for f in futures]
