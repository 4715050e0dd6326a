"""Finding practices: the start page and the search results page."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from app.db import get_session
from app.labels.translate import translate
from app.public import search_page
from app.search import get_search
from practices import vocab
from practices.filters import SearchFilters

bp = Blueprint("find", __name__)

RECENT_ON_HOME = 6  # practices in "Recently published" on the start page


@bp.get("/")
def home():
    """Show the search box, what the collection holds and the newest practices."""
    # A listing without query is the collection itself: its total and facets are the counts.
    overview = get_search().search(
        get_session(), query="", filters=SearchFilters(), page=1, limit=RECENT_ON_HOME
    )
    return render_template(
        "find/home.html",
        recent=[item.practice for item in overview.items],
        stats=_collection_stats(overview.total, overview.facets),
        themes=[(code, translate(label), overview.facets.get("theme", {}).get(code, 0))
                for code, label in vocab.THEMES.items()],
    )


@bp.get("/search")
def search():
    """Show one page of results for the query and filters in the URL."""
    state = search_page.SearchState.from_args(request.args)
    results = get_search().search(
        get_session(),
        query=state.query,
        filters=state.filters,
        page=state.page,
        limit=current_app.config["SEARCH_RESULTS_LIMIT"],
        order=state.sort,
    )
    return render_template(
        "find/search.html",
        state=state,
        results=results,
        groups=search_page.facet_groups(state, results.facets),
        active=search_page.active_filters(state),
        window=search_page.page_window(state.page, results.pages),
    )


def _collection_stats(total: int, facets: dict[str, dict[str, int]]) -> dict[str, int]:
    # "pt" and "pt-BR" are one language to a reader: count primary language subtags.
    languages = {tag.split("-")[0].lower() for tag in facets.get("language", {})}
    return {"practices": total, "countries": len(facets.get("country", {})),
            "languages": len(languages)}
