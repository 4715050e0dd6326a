"""Cross-language retrieval of the product, measured end to end on shared data.

One implementation for benchmarks/eval_crosslingual.py (the whole table) and
tests/web/test_quality_crosslingual.py (the floors). The texts are converted to the import
format, imported with `flask practices import FILE --publish` (the CLI's code path, then
`flask search-index verify`, which fits the language neutralizer as `make run` does), and
queried with GET /api/v1/search. The same measures run on the bare model (plain cosine over
the same texts, numpy) for comparison.

Data (read through tests/shared_data.py, never copied into the repository):
  xling    xling_dev/practices_7lang.jsonl: 30 practices x 7 languages (en fr es ar zh-Hans ru
           sw) = 210 practices, and xling_dev/keyword_queries.jsonl: 22 short queries naming
           the practice they should find (in any language).
  sdg      sdg/sdg_texts_multilingual.jsonl, records of kind "target" in the 6 UN languages:
           169 x 6 = 1,014 practices.
Each text becomes one practice: body = the text, title = its first words (never the group id
or the SDG code: a title shared across languages would give the answer away), theme "esd",
no SDG tag. The query is a practice's whole text.

Measures (a hit counts a result of the expected group or of a group the data declares to have
the same English text, field same_english_text_as):
  xling en@1   per non-English language: the English version is the first result with
               `language=en` (the issue's target: "each language -> its English version").
  xling all@1  the same without filter among all 210, the query's own versions in other
               non-English languages (and itself) set aside: the English version must beat
               every other practice in every language.
  kw@1, kw@5   keyword queries, no filter: the named practice (any language) first / in top 5.
  SDG Y@1, Y@10   each ordered pair X != Y (30): the Y version of an X query is first / in the
               top 10 with `language=Y`; means over the 169 targets.
  SDG all@10   each pair, no filter (all 1,014 texts, the query's own text included): the
               Y version is in the top 10.
"""
from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tests.shared_data import shared_file

UN_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh-Hans")
THEME = "esd"
TITLE_WORDS = 8
TITLE_CHARS_UNSPACED = 20  # Chinese has no spaces between words: about 8 words' worth
# Khmer, Lao and Burmese put spaces between phrases, not words: 8 "words" ran to 300+
# characters (over the product's title limit). Titles over TITLE_CHARS_MAX are cut to
# TITLE_CHARS_PHRASED characters, about 8 words there; no text of the 6 UN languages (longest
# 106) or of xling_dev is cut.
TITLE_CHARS_MAX = 120
TITLE_CHARS_PHRASED = 40
# search(query, language or None, limit) -> external ids of the results, best first.
Search = Callable[[str, str | None, int], list[str]]


@dataclass(frozen=True)
class Text:
    """One evaluated text, imported as one practice.

    Attributes:
        external_id: the practice's external_id ("xling-xdev-01-fr", "sdg-4.7-fr").
        group: what the text is a version of ("xdev-01", "sdg-target-4.7").
        language: BCP 47 tag as in the data.
        body: the text.
        answers: groups counted as the same answer (its own, and same_english_text_as).
    """

    external_id: str
    group: str
    language: str
    body: str
    answers: frozenset[str]


@dataclass(frozen=True)
class KeywordQuery:
    """A short query in `language` that should find (a version of) practice `group`."""

    query: str
    language: str
    group: str


def _jsonl(*parts: str) -> list[dict[str, Any]]:
    lines = shared_file(*parts).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def xling_texts() -> list[Text]:
    """The 210 xling_dev texts, one per (practice, language)."""
    return [Text(f"xling-{r['group_id']}-{lang}", r["group_id"], lang, text,
                 frozenset({r["group_id"]}))
            for r in _jsonl("xling_dev", "practices_7lang.jsonl")
            for lang, text in r["texts"].items()]


def keyword_queries() -> list[KeywordQuery]:
    """The 22 keyword queries of xling_dev."""
    return [KeywordQuery(r["query"], r["language"], r["relevant_group_id"])
            for r in _jsonl("xling_dev", "keyword_queries.jsonl")]


def sdg_texts(languages: Sequence[str] = UN_LANGUAGES) -> list[Text]:
    """The SDG targets (169 per language) in `languages`."""
    return [Text(f"sdg-{r['code']}-{r['language']}", r["group_id"], r["language"], r["body"],
                 frozenset({r["group_id"], *r.get("same_english_text_as", [])}))
            for r in _jsonl("sdg", "sdg_texts_multilingual.jsonl")
            if r["kind"] == "target" and r["language"] in languages]


def title_of(text: str) -> str:
    """The first TITLE_WORDS words of `text` (TITLE_CHARS_UNSPACED characters when it is
    written without spaces, TITLE_CHARS_PHRASED when spaces separate phrases), so a title
    says no more than the text's own opening."""
    words = text.split()
    if len(words) < 3 and len(text) > TITLE_CHARS_UNSPACED:
        return text[:TITLE_CHARS_UNSPACED]
    title = " ".join(words[:TITLE_WORDS])
    return title if len(title) <= TITLE_CHARS_MAX else title[:TITLE_CHARS_PHRASED]


def record_of(text: Text) -> dict[str, Any]:
    """The import record (JSON Lines format of the design notes) of one text."""
    return {"external_id": text.external_id, "title": title_of(text.body), "body": text.body,
            "language": text.language, "themes": [THEME]}


def make_app(database_url: str, index_dir: Path, *, encoder: object = "sentence-transformers",
             neutralizer: bool = True, **config: Any):
    """Return a Flask app of the product on `database_url` (already migrated).

    `encoder` is the ENCODER setting: the name, or an Encoder object (tests share one).
    """
    from app import create_app

    return create_app({
        "TESTING": True, "SECRET_KEY": "evaluation", "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(index_dir), "ENCODER": encoder,
        "SEARCH_NEUTRALIZER": neutralizer, "SEARCH_WARM_UP": False,
        "RATELIMIT_ENABLED": False, "DEMO_ACCOUNTS_FILE": str(index_dir / "demo_accounts.txt"),
        **config})


def cli(app, *args: str) -> str:
    """Run `flask <args>` in `app` and return its output; RuntimeError if it fails."""
    result = app.test_cli_runner().invoke(args=list(args))
    if result.exit_code != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed ({result.exit_code}):\n"
                           f"{result.output}") from result.exception
    return result.output


def import_texts(app, texts: Iterable[Text]) -> str:
    """Import `texts` as published practices through the CLI, then check the index with
    `flask search-index verify` (which first fits the language neutralizer if it is wanted
    and not cached, as `make run` does); return the commands' output."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "practices.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for text in texts:
                out.write(json.dumps(record_of(text), ensure_ascii=False) + "\n")
        imported = cli(app, "practices", "import", str(path), "--publish")
    return imported + cli(app, "search-index", "verify")


def api_search(app) -> Search:
    """Return a Search through GET /api/v1/search of `app` (Flask test client)."""
    client = app.test_client()

    def search(query: str, language: str | None, limit: int) -> list[str]:
        args = {"q": query, "limit": limit, **({"language": language} if language else {})}
        response = client.get("/api/v1/search", query_string=args)
        if response.status_code != 200:
            raise RuntimeError(f"search failed ({response.status_code}): {response.text}")
        return [hit["external_id"] for hit in response.get_json()["results"]]

    return search


class BareModel:
    """The model without the product: cosine of raw e5 embeddings, numpy brute force.

    Documents are the texts alone (passage prompt), queries the texts (query prompt); a
    language filter restricts the candidates to that language. Ties keep the data's order.
    """

    def __init__(self, encoder, texts: Sequence[Text]) -> None:
        self.encoder = encoder
        self.ids = [t.external_id for t in texts]
        self.languages = np.array([t.language for t in texts])
        self.matrix = encoder.encode_passages([t.body for t in texts])
        self._queries: dict[str, np.ndarray] = {}

    def prepare(self, queries: Iterable[str]) -> None:
        """Encode `queries` in one batch ahead of searching (same vectors, less time)."""
        todo = list(dict.fromkeys(q for q in queries if q not in self._queries))
        for query, vector in zip(todo, self.encoder.encode_queries(todo), strict=True):
            self._queries[query] = vector

    def __call__(self, query: str, language: str | None, limit: int) -> list[str]:
        self.prepare([query])
        scores = self.matrix @ self._queries[query]
        allowed = np.ones(len(scores), bool) if language is None else self.languages == language
        order = [i for i in np.argsort(-scores, kind="stable") if allowed[i]]
        return [self.ids[i] for i in order[:limit]]


@dataclass(frozen=True)
class XlingReport:
    """xling measures: en1/all1 per query language (see the module docstring), kw1/kw5."""

    en1: dict[str, float]
    all1: dict[str, float]
    kw1: float
    kw5: float


@dataclass(frozen=True)
class SdgReport:
    """SDG measures per ordered pair (query language X, document language Y)."""

    y1: dict[tuple[str, str], float]
    y10: dict[tuple[str, str], float]
    all10: dict[tuple[str, str], float]


def _is_answer(found: Text, query: Text | KeywordQuery, language: str | None) -> bool:
    groups = query.answers if isinstance(query, Text) else {query.group}
    return found.group in groups and (language is None or found.language == language)


def _means(hits: Mapping[Any, list[bool]]) -> dict[Any, float]:
    return {key: float(np.mean(values)) for key, values in sorted(hits.items())}


def evaluate_xling(search: Search, texts: Sequence[Text],
                   queries: Sequence[KeywordQuery]) -> XlingReport:
    """Run the xling measures through `search` over the imported `texts`."""
    by_id = {t.external_id: t for t in texts}
    en1: dict[str, list[bool]] = defaultdict(list)
    all1: dict[str, list[bool]] = defaultdict(list)
    for text in (t for t in texts if t.language != "en"):
        top = [by_id[i] for i in search(text.body, "en", 1)]
        en1[text.language].append(bool(top) and _is_answer(top[0], text, "en"))
        found = [by_id[i] for i in search(text.body, None, 10)]
        rivals = [f for f in found if not (f.group == text.group and f.language != "en")]
        all1[text.language].append(bool(rivals) and _is_answer(rivals[0], text, "en"))
    kw1, kw5 = [], []
    for query in queries:
        found = [by_id[i] for i in search(query.query, None, 5)]
        kw1.append(bool(found) and _is_answer(found[0], query, None))
        kw5.append(any(_is_answer(f, query, None) for f in found))
    return XlingReport(_means(en1), _means(all1), float(np.mean(kw1)), float(np.mean(kw5)))


def evaluate_sdg(search: Search, texts: Sequence[Text]) -> SdgReport:
    """Run the SDG measures through `search` over the imported `texts` (6,084 searches for
    the 1,014 targets: five filtered and one unfiltered per text, in this order, so a
    product reuses each query's vector)."""
    by_id = {t.external_id: t for t in texts}
    languages = sorted({t.language for t in texts})
    y1: dict[tuple[str, str], list[bool]] = defaultdict(list)
    y10: dict[tuple[str, str], list[bool]] = defaultdict(list)
    all10: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for text in texts:
        for other in (lang for lang in languages if lang != text.language):
            found = [by_id[i] for i in search(text.body, other, 10)]
            y1[text.language, other].append(bool(found) and _is_answer(found[0], text, other))
            y10[text.language, other].append(any(_is_answer(f, text, other) for f in found))
        found = [by_id[i] for i in search(text.body, None, 10)]
        for other in (lang for lang in languages if lang != text.language):
            all10[text.language, other].append(any(_is_answer(f, text, other) for f in found))
    return SdgReport(_means(y1), _means(y10), _means(all10))


def spread(values: Mapping[Any, float]) -> tuple[float, float, Any]:
    """Return (min, mean, key of the min) of a measure's values."""
    worst = min(values, key=values.get)
    return values[worst], float(np.mean(list(values.values()))), worst
