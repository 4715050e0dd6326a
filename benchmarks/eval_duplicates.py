"""Near-duplicate detection ("this looks like practice N"): threshold chosen on labelled pairs.

Run: python benchmarks/eval_duplicates.py [--cache DIR] [--markdown]   (`make eval` runs it)

Pairs: benchmarks/duplicate_pairs.py (xling_dev translations, the development set's
translations and lightly edited copies as positives; same-topic development-set practices and
different xling practices as negatives), split by practice into a part that chooses the
threshold and a held-out part that measures it. Every text is encoded as the product stores it
(search_index.embed: title on every passage, 128-token passages for long bodies). Scores
(search_index/duplicates.py): the bare model's cosine of whole texts (raw vectors) beside the
"whole" and "passages" scores on raw and language-neutralised vectors. For each, the threshold
is the one of the choosing part with the highest recall at a precision asked of it
(choose_target: the lowest of CAUTION that holds from one half of the choosing part to the
other), then precision and recall are measured on the held-out pairs, per kind of pair too.
Writes benchmarks/results/eval_duplicates.json.

The neutralizer is fitted once per model (minutes) and kept in --cache (the folder
eval_crosslingual.py uses). About 2 minutes on 2 cores with the neutralizer cached.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import duplicate_pairs as dp  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
TARGET_PRECISION, TARGET_RECALL = 0.95, 0.90
CAUTION = (0.95, 0.96, 0.97, 0.98, 0.99, 0.995)  # precisions asked of the choosing pairs
# (label, vectors, method): the bare model first.
SYSTEMS = (
    ("bare model: cosine of whole texts, raw vectors", "raw", "whole"),
    ("whole texts, neutralised vectors", "neutral", "whole"),
    ("best-partner passages, raw vectors", "raw", "passages"),
    ("best-partner passages, neutralised vectors", "neutral", "passages"),
    ("whole texts, neutralised, hubness-corrected (CSLS, k=10)", "neutral", "csls"),
)
MODEL = "intfloat/multilingual-e5-small"
CSLS_K = 10  # neighbours averaged, as the search's hubness table (hubness.py)


@dataclass(frozen=True)
class Measure:
    """Precision and recall of `threshold` on some pairs (counts kept for the record)."""

    threshold: float
    precision: float
    recall: float
    true_pos: int
    false_pos: int
    positives: int


def measure(scores: np.ndarray, truth: np.ndarray, threshold: float) -> Measure:
    """Precision and recall of flagging `scores >= threshold` against `truth` (booleans)."""
    flagged = scores >= threshold
    tp, fp = int((flagged & truth).sum()), int((flagged & ~truth).sum())
    return Measure(float(threshold), tp / (tp + fp) if tp + fp else 1.0,
                   tp / int(truth.sum()) if truth.any() else 1.0, tp, fp, int(truth.sum()))


def choose_threshold(scores: np.ndarray, truth: np.ndarray,
                     precision: float = TARGET_PRECISION) -> float:
    """The threshold with the highest recall at `precision` or more on these pairs (ties: the
    highest such threshold, the most cautious); the highest score + 1e-6 when none reaches it.
    """
    best = (-1.0, float(scores.max()) + 1e-6)
    for t in np.unique(scores):
        m = measure(scores, truth, float(t))
        if m.precision >= precision and (m.recall, t) >= best:
            best = (m.recall, float(t))
    return best[1]


def choose_target(scores: np.ndarray, truth: np.ndarray, inner: np.ndarray) -> float:
    """How cautious the threshold is: the lowest precision asked of the choosing pairs
    (CAUTION) whose threshold, chosen on one half of them, keeps TARGET_PRECISION on the other
    half, both ways round. Short texts score noisily, so asking exactly TARGET_PRECISION of
    the choosing pairs leaves the new pairs under it."""
    for caution in CAUTION:
        if all(measure(scores[b], truth[b], choose_threshold(scores[a], truth[a], caution))
               .precision >= TARGET_PRECISION for a, b in ((inner, ~inner), (~inner, inner))):
            return caution
    return CAUTION[-1]


def encode(items: dict[str, dp.Item], cache: Path):
    """Raw chunk vectors of every item (encoded once; kept in `cache`), and the encoder."""
    import pickle

    from search_index import embed
    from search_index.model_encoder import ModelEncoder

    encoder = ModelEncoder(REPO / "instance" / "models" / "multilingual-e5-small")
    path = cache / "duplicates_vectors.pkl"
    held = pickle.loads(path.read_bytes()) if path.is_file() else {}
    texts = {k: (i.title, i.body) for k, i in items.items()}  # kept by text, not by name
    missing = sorted({t for t in texts.values() if t not in held})
    if missing:
        held.update(zip(missing, embed(encoder, missing), strict=True))
        cache.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(held))
    return {k: held[t] for k, t in texts.items()}, encoder


def neutralizer(encoder, cache: Path):
    """The product's language neutralizer for the encoder's model (fitted once, cached)."""
    from app.search.neutralizing import fit_neutralizer
    from app.search.settings import SearchSettings

    work = Path(tempfile.mkdtemp(prefix="eval_duplicates_"))
    try:
        if (cache / "neutralizer").is_dir():
            shutil.copytree(cache / "neutralizer", work / "neutralizer")
        settings = SearchSettings(
            encoder=encoder, model_id=encoder.model_id, model_path="", threads=0,
            index_dir=work, neutralizer=True, candidates=100, gap_seconds=300,
            keep_changes_days=30, database_key="")
        fitted = fit_neutralizer(settings, encoder)
        shutil.copytree(work / "neutralizer", cache / "neutralizer", dirs_exist_ok=True)
        return fitted
    finally:
        shutil.rmtree(work, ignore_errors=True)


def pair_scores(pairs: list[dp.Pair], vectors: dict[str, np.ndarray], method: str) -> np.ndarray:
    """The score of every pair under `method` (search_index.duplicates.copy_score; "csls":
    the whole-text cosine minus the mean of both texts' hubness, csls_hubness)."""
    from search_index.duplicates import copy_score

    if method == "csls":
        hub = csls_hubness(pairs, vectors)
        return np.array([copy_score(vectors[p.a.key], vectors[p.b.key], "whole")
                         - (hub[p.a.key] + hub[p.b.key]) / 2 for p in pairs])
    return np.array([copy_score(vectors[p.a.key], vectors[p.b.key], method) for p in pairs])


def csls_hubness(pairs: list[dp.Pair], vectors: dict[str, np.ndarray]) -> dict[str, float]:
    """r(x): the mean whole-text cosine of each text with its CSLS_K nearest texts of the
    collection (the original texts of the pairs, edited copies left out), texts of its own
    practice set aside (a collection rarely holds another version of it)."""
    from search_index.duplicates import whole_vector

    items = dp.items_of(pairs)
    whole = {k: whole_vector(v) for k, v in vectors.items()}
    keys = [k for k in items if "~" not in k]
    matrix, groups = np.stack([whole[k] for k in keys]), np.array([items[k].group for k in keys])
    return {k: float(np.sort((matrix @ whole[k])[groups != items[k].group])[-CSLS_K:].mean())
            for k in items}


def evaluate(pairs: list[dp.Pair], spaces: dict[str, dict[str, np.ndarray]]) -> dict:
    """Every system of SYSTEMS: its threshold (choosing part), held-out figures overall and
    per kind (recall for positive kinds, false-positive rate for negative ones)."""
    truth = np.array([p.copy for p in pairs])
    held = np.array([p.held_out for p in pairs])
    inner = np.array([p.inner for p in pairs])
    kinds = np.array([p.kind for p in pairs])
    out = {}
    for label, space, method in SYSTEMS:
        scores = pair_scores(pairs, spaces[space], method)
        caution = choose_target(scores[~held], truth[~held], inner[~held])
        threshold = choose_threshold(scores[~held], truth[~held], caution)
        test = measure(scores[held], truth[held], threshold)
        per_kind = {}
        for kind in dp.KINDS:
            sel = held & (kinds == kind)
            flagged = scores[sel] >= threshold
            per_kind[kind] = {"pairs": int(sel.sum()), "flagged": float(flagged.mean())}
        out[label] = {"space": space, "method": method, "threshold": threshold,
                      "caution": caution,
                      "chosen_on": vars(measure(scores[~held], truth[~held], threshold)),
                      "held_out": vars(test), "per_kind": per_kind,
                      "separation": _separation(scores, truth, kinds)}
    return out


def _separation(scores: np.ndarray, truth: np.ndarray, kinds: np.ndarray) -> dict:
    """Lowest positive and highest negative score of each kind (all pairs)."""
    return {kind: (float(scores[kinds == kind].min()) if kind in dp.POSITIVE
                   else float(scores[kinds == kind].max()))
            for kind in dp.KINDS if (kinds == kind).any()}


def print_table(figures: dict, counts: dict, markdown: bool) -> None:
    """The summary: one row per system, held-out precision / recall and per-kind rates."""
    head = ("score", "threshold (precision asked)", "held-out precision", "held-out recall",
            "translations found", "near copies found", "same-topic flagged",
            "other xling flagged", "met")
    rows = []
    from search_index.duplicates import RULES

    product = RULES[MODEL, True]
    for label, f in figures.items():
        h, k = f["held_out"], f["per_kind"]
        if (f["space"], f["method"]) == ("neutral", product.method):
            label += " (the product's score)"
        met = h["precision"] >= TARGET_PRECISION and h["recall"] >= TARGET_RECALL
        rows.append((label, f"{f['threshold']:.3f} ({f['caution']})", f"{h['precision']:.3f}",
                     f"{h['recall']:.3f}", f"{k['translation']['flagged']:.3f}",
                     f"{k['near copy']['flagged']:.3f}", f"{k['same topic']['flagged']:.3f}",
                     f"{k['xling other']['flagged']:.3f}", "yes" if met else "NO"))
    print(f"\nnear duplicates: held-out pairs {counts['held']}, choosing pairs "
          f"{counts['choose']} (target precision >= {TARGET_PRECISION} at recall >= "
          f"{TARGET_RECALL})")
    if markdown:
        print("\n| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        print("\n".join("| " + " | ".join(r) + " |" for r in rows))
        return
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    for row in (head, *rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    for label, f in figures.items():
        print(f"  {label}: lowest positive / highest negative score by kind: " + ", ".join(
            f"{k} {v:.3f}" for k, v in f["separation"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=RESULTS / "cache",
                        help="where the fitted neutralizer and the vectors are kept")
    parser.add_argument("--markdown", action="store_true", help="the summary in Markdown")
    args = parser.parse_args()
    pairs = dp.pairs()
    raw, encoder = encode(dp.items_of(pairs), args.cache)
    fitted = neutralizer(encoder, args.cache)
    neutral = {k: np.asarray(fitted.transform(v), np.float32) for k, v in raw.items()}
    figures = evaluate(pairs, {"raw": raw, "neutral": neutral})
    counts = {"held": sum(p.held_out for p in pairs),
              "choose": sum(not p.held_out for p in pairs),
              "by_kind": {k: sum(p.kind == k for p in pairs) for k in dp.KINDS}}
    print_table(figures, counts, args.markdown)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "eval_duplicates.json"
    path.write_text(json.dumps({"pairs": counts, "systems": figures}, indent=1))
    print(f"figures written to {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
