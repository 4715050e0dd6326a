"""Tag suggestions for a text being written: the domain's reference texts
(practices.tag_reference), ranked with the search's own encoder (search_index.suggest).

Nothing here applies a tag: the pages show the suggestions as unticked boxes.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from app.search import get_writer
from practices import tag_reference
from search_index.encoder import Encoder
from search_index.suggest import TagRanker

_REFERENCES = {
    "themes": tag_reference.theme_references,
    "pillars": tag_reference.pillar_references,
    "emerging_issues": tag_reference.issue_references,
    "sdg_targets": tag_reference.sdg_target_references,
}

_lock = threading.Lock()
# id(encoder) -> (encoder, {kind: TagRanker}); the encoder is kept so its id stays its own.
_rankers: dict[int, tuple[Encoder, dict[str, TagRanker]]] = {}


@dataclass(frozen=True)
class TagSuggestions:
    """The tags suggested for one text, best first, SHOWN[kind] of each kind (no pillars).

    themes and emerging_issues hold vocabulary codes, pillars numbers (1-4), sdg_targets
    target codes ("4.7").
    """

    themes: list[str] = field(default_factory=list)
    pillars: list[int] = field(default_factory=list)
    emerging_issues: list[str] = field(default_factory=list)
    sdg_targets: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list]:
        """{kind: [codes]}: the JSON shape of the API."""
        return {"themes": self.themes, "pillars": self.pillars,
                "emerging_issues": self.emerging_issues, "sdg_targets": self.sdg_targets}


def suggest_tags(title: str | None, summary: str | None, body: str | None) -> TagSuggestions:
    """Rank every tag kind for a draft (title as the chunks' header, summary and body as text).

    Loads the encoder on first use (seconds with the real model). Returns empty suggestions
    when the text has no letter or digit (callers should say so before calling:
    practices.tag_reference.has_words).
    """
    if not tag_reference.has_words(title, summary, body):
        return TagSuggestions()
    rankers = _rankers_of(get_writer().encoder.get())
    any_ranker = rankers["themes"]
    vectors = any_ranker.text_vectors(title or "", "\n\n".join(p for p in (summary, body) if p))
    best = {kind: [t.key for t in ranker.rank(vectors)[: tag_reference.SHOWN[kind]]]
            for kind, ranker in rankers.items()}
    return TagSuggestions(**best)


def _rankers_of(encoder: Encoder) -> dict[str, TagRanker]:
    with _lock:
        held = _rankers.get(id(encoder))
        if held is None:
            held = (encoder, {kind: TagRanker(encoder, make())
                              for kind, make in _REFERENCES.items()})
            _rankers[id(encoder)] = held
        return held[1]
