"""Search over practices: the composition of practices and search_index for the app.

Three services per app and process, made by init_app from the settings, one lazily loaded
encoder and the app's session factory:

    get_search() -> SearchReader   (reader.py) the live index and the searches:
        .search(session, query=..., filters=SearchFilters, page=1, limit=10) -> ResultPage
        .similar(session, practice_id, limit=5, other_languages=True) -> [ResultItem]
    get_writer() -> SearchWriter   (writer.py) the write path: a commit also encodes; views
        and commands call .prepare(session, texts) before they write
    get_maintenance() -> SearchMaintenance   (maintenance.py) rebuild, verify, info

Design of the change sequence and snapshots: changes.py and live.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy.orm import sessionmaker

from app.search.maintenance import RebuildReport, SearchMaintenance, VerifyReport
from app.search.reader import SearchReader
from app.search.results import ResultItem, ResultPage
from app.search.settings import LazyEncoder, SearchSettings
from app.search.writer import SearchWriter

__all__ = [
    "RebuildReport",
    "ResultItem",
    "ResultPage",
    "Search",
    "SearchMaintenance",
    "SearchReader",
    "SearchWriter",
    "VerifyReport",
    "get_maintenance",
    "get_search",
    "get_writer",
    "init_app",
]

_KEY = "search"


@dataclass(frozen=True)
class Search:
    """The search services of one app and process."""

    reader: SearchReader
    writer: SearchWriter
    maintenance: SearchMaintenance


def init_app(app: Flask, sessions: sessionmaker) -> Search:
    """Make the app's search services (nothing heavy: the encoder and the index are loaded
    on first use) and warm them up on the first request; return them.

    The caller installs the write path on `sessions` (create_app does, where it sets up the
    database): search.writer.install(sessions, after_commit=search.reader.catch_up_after_commit).
    """
    settings = SearchSettings.from_config(app.config)
    encoder = LazyEncoder(settings)
    reader = SearchReader(settings, encoder, sessions)
    writer = SearchWriter(encoder, sessions)
    search = Search(reader, writer, SearchMaintenance(settings, encoder, reader, writer))
    app.extensions[_KEY] = search
    if app.config["SEARCH_WARM_UP"]:
        app.before_request(_warm_up_in_background)
    return search


def get_search() -> SearchReader:
    """Return the current app's search reader (the searches of the pages and the API)."""
    return current_app.extensions[_KEY].reader


def get_writer() -> SearchWriter:
    """Return the current app's search writer (prepare text before writing it)."""
    return current_app.extensions[_KEY].writer


def get_maintenance() -> SearchMaintenance:
    """Return the current app's search maintenance (rebuild, verify, info)."""
    return current_app.extensions[_KEY].maintenance


def _warm_up_in_background() -> None:
    # Called before every request (it returns at once after the first), so the model is ready
    # by the time a visitor types a query.
    get_search().warm_up_in_background()
