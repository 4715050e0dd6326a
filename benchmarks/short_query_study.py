"""Ways of ranking short teacher queries, measured on the development set, in one process.

Run after eval_devset.py --work DIR (it reuses that database and index):
    python benchmarks/short_query_study.py --work DIR [--vectors FILE]

The query vectors (neutralised, as the index makes them) are encoded once and kept in
--vectors (default /tmp/short_query_vectors.npz), so each variant costs a fraction of a
second. Every variant ranks the whole collection (the set's practices and the Courier
passages) for the 40 short queries, the 17 late-paragraph queries and nonsense queries, and is
scored as eval_devset.py scores the API:
  on@10      on-topic share of a short query's top 10 (after the relevance floor)
  x@10       share of the on-topic practices in another language found in the top 10
  late       median rank of the long practice for the 14 other-language late queries, the
             share of them in the top 10, and the median for the 3 in its own language
  nonsense   results found for nonsense queries (all of them together)
  found      median results found (passing the floor) of a short query, and the precision
             and recall of that whole set (on-topic practices among them / of all)
Each short-query figure is given for all 40 queries, then for the even-numbered ones (the
half parameters are chosen on) and the odd-numbered ones (held out).

Variants ("before": SearchIndex.search before search_index/short_queries.py; "product": as
it is now, checked against SearchIndex.search on every query before anything is measured):
  no floor        every fused result counts (nonsense queries then find everything)
  passage:        the query encoded with the passage prompt instead of "query: "
  kw S            keyword weight S for queries of up to 2 words (the product: 1.0)
  hub W, shrinkage S   the language balance's hubness weight and calibration shrinkage
  expand K T W    the query vector plus W x the mean of the T closest tag reference texts of
                  kind K (practices/tag_reference.py: education = themes, emerging issues
                  and pillars; sdg = the 169 targets; goals; all), then ranked as before
  prf M A         pseudo-relevance feedback (Rocchio): the query vector plus A x the mean of
                  the best passages (for the query) of the first M results that pass the
                  floor, normalised, ranks again (keyword part and floor: the query's)
  prf-mean        the same with the results' mean vectors
  cap C           results in rounds by language, at most C of each language per round
  gap G           each result moved down G places per earlier result of its language
  grid prf M A floor2 F cap C   feedback for queries of up to 3 words whose second ranking
                  also counts results whose best passage has cosine F with the feedback
                  vector, with rounds of C (0: none)
  product, ...    the product with one thing changed
"""
from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import crosslingual as xl  # noqa: E402
from benchmarks import devset_data as dev  # noqa: E402
from benchmarks.eval_devset import NONSENSE, primary  # noqa: E402
from search_index.calibration import calibrate, language_group  # noqa: E402

MORE_NONSENSE = ("jkjkjk lol", "ффывап", "ذذذذ ضصث", "啊啊啊啊", "blah blah blah", "???", "aaaa")


@dataclass(frozen=True)
class Variant:
    """One way of ranking (module doc)."""

    keyword_short: float | None = None  # None: the product's FusionWeights
    prf_docs: int = 0
    prf_weight: float = 0.0
    prf_source: str = "passage"  # or "mean"
    prf_words: float = 1e9
    prompt: str = "query"  # or "passage"
    language_cap: int = 0  # > 0: at most this many of one language per round (see cap)
    cap_words: float = 1e9  # the cap applies to queries of at most this many words
    language_gap: float = 0.0  # > 0: each earlier result of its language moves one down so far
    floor: bool = True
    prf_floor: float | None = None  # second pass: also passes at this cosine with its vector
    hub_weight: float | None = None  # None: the product's
    shrinkage: float | None = None
    expand: str = ""  # reference set mixed into the query (REFERENCES), "" none
    expand_top: int = 3
    expand_weight: float = 0.0


class Study:
    """The index of the work folder with fast access to what every variant needs."""

    def __init__(self, index, vectors: dict[str, np.ndarray],
                 references: dict[str, np.ndarray] | None = None) -> None:
        self.index = index
        self.references = references or {}
        self.vectors = vectors
        self.doc_rows = {int(d): index._vectors.doc_vectors(int(d)) for d in index.ids()}
        self.doc_means = {d: _unit(rows.mean(axis=0)) for d, rows in self.doc_rows.items()}
        self.languages = {d: language_group(next(iter(tags), "")) for d, tags in
                          index._facets.values("language").items()}

    def rank(self, text: str, variant: Variant, limit: int) -> tuple[list[int], int]:
        """(ids of the first `limit` results, results found) of `text` under `variant`."""
        from search_index.fusion import fuse
        from search_index.tokens import estimate_words

        index = self.index
        query = self.vectors[f"{variant.prompt}:{text}"]
        fusion = (index.fusion if variant.keyword_short is None
                  else replace(index.fusion, keyword_short=variant.keyword_short))
        keyword = index._keywords.search_with_coverage(text, allowed_doc_ids=None,
                                                       limit=index.candidates)
        coverage = {d: c for d, _, c in keyword}
        words = estimate_words(text)

        def ranked(vector: np.ndarray, second: float | None = None) -> list[int]:
            dense = self.dense(vector, variant)
            fused = fuse([d for d, _ in dense], [d for d, _, _ in keyword], words, fusion,
                         [c for _, _, c in keyword])
            if index.floor is None or not variant.floor:
                found = [d for d, _ in fused]
            else:
                found = [d for d, _ in fused if index.floor.passes(
                    float((self.doc_rows[d] @ query).max()), coverage.get(d)) or (
                    second is not None and float((self.doc_rows[d] @ vector).max()) >= second)]
            if variant.language_gap:
                return self.gap(found, variant.language_gap)
            return self.cap(found, variant.language_cap if words <= variant.cap_words else 0)

        if variant.expand:
            refs = self.references[variant.expand]
            sims = refs @ query
            top = np.argsort(-sims)[:variant.expand_top]
            first = _unit(query + variant.expand_weight * refs[top].mean(axis=0))
            found = ranked(first.astype(np.float32))
        else:
            found = ranked(query)
        if variant.prf_docs and found and words <= variant.prf_words:
            top = found[:variant.prf_docs]
            if variant.prf_source == "mean":
                feedback = np.mean([self.doc_means[d] for d in top], axis=0)
            else:
                feedback = np.mean([self.doc_rows[d][int(np.argmax(self.doc_rows[d] @ query))]
                                    for d in top], axis=0)
            found = ranked(_unit(query + variant.prf_weight * feedback).astype(np.float32),
                           variant.prf_floor)
        return found[:limit], len(found)


    def dense(self, vector: np.ndarray, variant: Variant) -> list[tuple[int, float]]:
        """The balanced dense ranking (balance.py) under the variant's settings."""
        balance = self.index._balance
        if variant.hub_weight is None and variant.shrinkage is None:
            return self.index._dense(vector, None)
        settings = replace(balance.settings, **{k: v for k, v in (
            ("hub_weight", variant.hub_weight), ("shrinkage", variant.shrinkage))
            if v is not None})
        view = balance._current(self.index._vectors)
        scores = view.rows @ vector
        best = np.maximum.reduceat(scores[view.row_order], view.row_starts)
        z = calibrate(best - settings.hub_weight * view.penalties, view.grouping, settings)
        order = np.lexsort((view.doc_ids, -z))[:self.index.candidates]
        return [(int(view.doc_ids[i]), float(z[i])) for i in order]

    def cap(self, found: list[int], cap: int) -> list[int]:
        """`found` in rounds: each round takes, in order, at most `cap` results of each
        language among those left (0: unchanged)."""
        if cap <= 0:
            return found
        seen: dict[str, int] = {}
        rounds = []
        for position, d in enumerate(found):
            n = seen.get(self.languages[d], 0)
            seen[self.languages[d]] = n + 1
            rounds.append((n // cap, position, d))
        return [d for _, _, d in sorted(rounds)]


    def gap(self, found: list[int], gap: float) -> list[int]:
        """`found` with each result moved down `gap` places per earlier result of its
        language (ties keep the order)."""
        seen: dict[str, int] = {}
        keyed = []
        for position, d in enumerate(found):
            n = seen.get(self.languages[d], 0)
            seen[self.languages[d]] = n + 1
            keyed.append((position + gap * n, position, d))
        return [d for _, _, d in sorted(keyed)]


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def query_vectors(index, texts: list[str], path: Path) -> dict[str, np.ndarray]:
    """Neutralised vectors of `texts` under both prompts, keyed "<prompt>:<text>", read from
    `path` when it holds them all, else encoded and written there."""
    keys = [f"{p}:{t}" for p in ("query", "passage") for t in texts]
    if path.exists():
        with np.load(path) as saved:
            stored = {str(k): v for k, v in zip(saved["keys"], saved["vectors"], strict=True)}
        if all(k in stored for k in keys):
            return stored
    queries = index._neutralize(index.encoder.encode_queries(texts))
    passages = index._neutralize(index.encoder.encode_passages(texts))
    vectors = np.concatenate([queries, passages]).astype(np.float32)
    np.savez(path, keys=np.array(keys), vectors=vectors)
    return dict(zip(keys, vectors, strict=True))


def reference_texts() -> dict[str, list[str]]:
    """Reference texts a query may be expanded with: the tag references of tag suggestions
    (practices/tag_reference.py), by kind, each text of a tag on its own."""
    from practices import tag_reference as ref

    def flat(found) -> list[str]:
        return [" ".join(texts) for texts in found.values()]

    education = (flat(ref.theme_references()) + flat(ref.issue_references())
                 + flat(ref.pillar_references()))
    return {"education": education, "sdg": flat(ref.sdg_target_references()),
            "goals": flat(ref.sdg_goal_references()),
            "all": education + flat(ref.sdg_target_references())}


def reference_vectors(index, path: Path) -> dict[str, np.ndarray]:
    """Neutralised passage vectors of reference_texts(), cached in `path`."""
    texts = reference_texts()
    if path.exists():
        with np.load(path) as saved:
            if set(saved.files) == set(texts):
                return {k: saved[k] for k in texts}
    found = {k: index._neutralize(index.encoder.encode_passages(v)) for k, v in texts.items()}
    np.savez(path, **found)
    return found


def measure(study: Study, variant: Variant, labels: dev.Labels, practices, external,
            ) -> dict[str, float]:
    """The module doc's figures of one variant."""
    on10, xr10, totals, precision, recall = [], [], [], [], []
    for q in labels.queries:
        everything, total = study.rank(q.text, variant, 10**6)
        relevant = {p.external_id for p in practices.values() if p.topics & q.topics}
        hits = len(relevant & {external[d] for d in everything})
        totals.append(total)
        precision.append(hits / max(1, total))
        recall.append(hits / len(relevant))
        found = everything[:10]
        names = [external[d] for d in found]
        on10.append(sum(bool(practices[n].topics & q.topics) for n in names
                        if n in practices) / 10)
        others = {p.external_id for p in practices.values() if p.topics & q.topics
                  and primary(p.language) != primary(q.language)}
        xr10.append(len(others & set(names)) / min(10, len(others)))
    own, other = [], []
    for q in labels.late:
        found, _ = study.rank(q.text, variant, 50)
        target = dev.PREFIX + q.practice
        names = [external[d] for d in found]
        rank = names.index(target) + 1 if target in names else 51
        same = primary(q.language) == primary(practices[target].language)
        (own if same else other).append(rank)
    nonsense = sum(study.rank(t, variant, 10)[1] for t in (*NONSENSE, *MORE_NONSENSE))
    even, odd = on10[0::2], on10[1::2]
    return {"on10": np.mean(on10), "on10_tune": np.mean(even), "on10_held": np.mean(odd),
            "x10": np.mean(xr10), "x10_tune": np.mean(xr10[0::2]),
            "x10_held": np.mean(xr10[1::2]),
            "late_other": statistics.median(other), "late_top10": np.mean(
                [r <= 10 for r in other]), "late_own": statistics.median(own),
            "nonsense": nonsense, "per_query": (on10, xr10), "found": np.median(totals),
            "found_precision": np.mean(precision), "found_recall": np.mean(recall)}


PRODUCT = Variant(prf_docs=3, prf_weight=2.0, prf_floor=0.30, prf_words=3, language_cap=1)


def variants() -> dict[str, Variant]:
    """The variants measured (module doc), "before" and "product" first."""
    found = {"before": Variant(), "product": PRODUCT, "no floor": Variant(floor=False),
             "passage:": Variant(prompt="passage")}
    for weight in (0.0, 0.25, 0.5):
        found[f"kw {weight}"] = Variant(keyword_short=weight)
    for hub in (0.0, 0.25, 1.0):
        found[f"hub {hub}"] = Variant(hub_weight=hub)
    for shrink in (10.0, 30.0, 300.0):
        found[f"shrinkage {shrink}"] = Variant(shrinkage=shrink)
    for kind in ("education", "sdg", "goals", "all"):
        for top in (1, 3):
            for weight in (0.5, 1.0):
                found[f"expand {kind} {top} {weight}"] = Variant(
                    expand=kind, expand_top=top, expand_weight=weight)
    for docs in (1, 2, 3, 5):  # feedback under the query's own floor
        for weight in (0.5, 1.0, 2.0, 4.0):
            found[f"prf {docs} {weight}"] = Variant(prf_docs=docs, prf_weight=weight)
    found["prf-mean 3 1.0"] = Variant(prf_docs=3, prf_weight=1.0, prf_source="mean")
    for docs, weight in ((1, 1.0), (3, 1.0), (3, 2.0), (5, 1.0)):
        found[f"no floor prf {docs} {weight}"] = Variant(floor=False, prf_docs=docs,
                                                         prf_weight=weight)
    for cap in (1, 2, 3, 4):
        found[f"cap {cap}"] = Variant(language_cap=cap)
    for gap in (3.0, 5.0, 10.0, 20.0):
        found[f"gap {gap:g}"] = Variant(language_gap=gap)
    for docs in (1, 2, 3, 5, 8):  # feedback with its own floor, with and without rounds
        for weight in (0.5, 1.0, 2.0):
            for second in (0.25, 0.3, 0.35):
                for cap in (0, 1, 2):
                    found[f"grid prf {docs} {weight} floor2 {second} cap {cap}"] = Variant(
                        prf_docs=docs, prf_weight=weight, prf_floor=second, prf_words=3,
                        language_cap=cap)
    for gap in (3.0, 10.0, 20.0):
        found[f"product, gap {gap:g} instead of rounds"] = replace(
            PRODUCT, language_cap=0, language_gap=gap)
    for weight in (0.0, 0.5):
        found[f"product, keyword weight {weight}"] = replace(PRODUCT, keyword_short=weight)
    found["product, rounds for short queries only"] = replace(PRODUCT, cap_words=3)
    found["product, mean vectors fed back"] = replace(PRODUCT, prf_source="mean")
    for words in (2, 4, 5):
        found[f"product, feedback up to {words} words"] = replace(PRODUCT, prf_words=words)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--vectors", type=Path, default=Path("/tmp/short_query_vectors.npz"))
    parser.add_argument("--only", nargs="*",
                        help="measure only the variants whose names start with one of these")
    parser.add_argument("--per-query", action="store_true",
                        help="print each short query's figures under each variant")
    args = parser.parse_args()
    from sqlalchemy import select

    from app.db import get_session
    from app.search import get_search
    from practices.models import Practice

    app = xl.make_app(f"sqlite:///{args.work / 'devset.db'}", args.work / "index")
    labels = dev.read_labels()
    practices = {p.external_id: p for p in dev.read_practices(labels=labels)}
    with app.test_request_context():
        session = get_session()
        index = get_search().catch_up(session).index
        external = dict(session.execute(select(Practice.id, Practice.external_id)).all())
        texts = [" ".join(t.split()) for t in (
            *[q.text for q in labels.queries], *[q.text for q in labels.late], *NONSENSE,
            *MORE_NONSENSE)]
        study = Study(index, query_vectors(index, texts, args.vectors), reference_vectors(
            index, args.vectors.with_name(args.vectors.stem + "_references.npz")))
        _check_product(study, index, texts)
        chosen = variants()
        for name in [n for n in chosen if not args.only or n.startswith(tuple(args.only))]:
            figures = measure(study, chosen[name], labels, practices, external)
            print(_line(name, figures))
            if args.per_query:
                for q, on, x in zip(labels.queries, *figures["per_query"], strict=True):
                    print(f"    {on:.1f} {x:.2f}  {q.text}")


def _check_product(study: Study, index, texts: list[str]) -> None:
    """The 'product' variant must be SearchIndex.search's ranking, or the study measures
    something else."""
    for text in texts:
        expected = [h.id for h in index.search(text, limit=50).hits]
        if study.rank(text, PRODUCT, 50)[0] != expected:
            raise SystemExit(f"the study's product ranking differs from the index's: {text!r}")


def _line(name: str, f: dict) -> str:
    return (f"{name:26s} on@10 {f['on10']:.3f} ({f['on10_tune']:.3f}/{f['on10_held']:.3f})  "
            f"x@10 {f['x10']:.3f} ({f['x10_tune']:.3f}/{f['x10_held']:.3f})  late "
            f"{f['late_other']:g} {f['late_top10']:.2f} own {f['late_own']:g}  "
            f"nonsense {f['nonsense']}  found {f['found']:g} (P {f['found_precision']:.2f} "
            f"R {f['found_recall']:.2f})")


if __name__ == "__main__":
    main()
