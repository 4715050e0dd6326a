"""Ways of ranking "similar practices", measured on the development set, in one process.

Run after eval_devset.py --work DIR (it reuses that database and index):
    python benchmarks/similar_study.py --work DIR

Every variant ranks the whole collection (the set's practices and the Courier passages) for
each practice of the set and is scored as eval_devset.py scores the API (topic P@5, an
on-topic practice in another language among the 5). Vectors are the index's (neutralised).
  chunk        cosine of the practice's mean vector with each document's best chunk (the
               product before issue 10)
  mean         cosine between mean vectors (the whole texts)
  mean-hub     mean, minus the hubness penalty (CSLS, hubness.py)
  balanced     the search's dense ranking with the mean vector as query: best chunk, hubness
               penalty, per-language z-scores (balance.py)
  mean-z       mean-hub, then per-language z-scores
  +tags w      a bonus of w x (shared SDG targets and themes, Jaccard) added to the z-score
  +1 other     the 5th place goes to the best practice in another language when none of the
               first 4 is in one
"""
from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import crosslingual as xl  # noqa: E402
from benchmarks import devset_data as dev  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args()
    from sqlalchemy import select

    from app.db import get_session
    from app.search import get_search
    from practices.models import Practice
    from search_index.calibration import calibrate

    app = xl.make_app(f"sqlite:///{args.work / 'devset.db'}", args.work / "index")
    labels = dev.read_labels()
    practices = {p.external_id: p for p in dev.read_practices(labels=labels)}
    with app.test_request_context():
        session = get_session()
        index = get_search().catch_up(session).index
        external = dict(session.execute(select(Practice.id, Practice.external_id)).all())
        balance = index._balance
        view = balance._current(index._vectors)
        ids = view.doc_ids
        rows = view.rows[view.row_order]
        means = np.add.reduceat(rows, view.row_starts, axis=0)
        means /= np.linalg.norm(means, axis=1, keepdims=True)
        language = [(practices.get(external[int(d)]).language if external[int(d)] in practices
                     else "en").split("-")[0] for d in ids]
        topics = [practices[external[int(d)]].topics if external[int(d)] in practices
                  else frozenset() for d in ids]
        tag_sets = []
        for d in ids:
            p = practices.get(external[int(d)])
            tag_sets.append(frozenset() if p is None else frozenset(
                [f"sdg:{s}" for s in p.sdg_targets] + [f"theme:{t}" for t in p.themes]))
        sources = [i for i, d in enumerate(ids) if external[int(d)] in practices]

        def chunk_scores(i: int) -> np.ndarray:
            scores = view.rows @ means[i]
            return np.maximum.reduceat(scores[view.row_order], view.row_starts)

        def tags(i: int) -> np.ndarray:
            own = tag_sets[i]
            return np.array([len(own & t) / len(own | t) if own | t else 0.0 for t in tag_sets])

        variants = {
            "chunk": chunk_scores,
            "mean": lambda i: means @ means[i],
            "mean-hub": lambda i: means @ means[i] - balance.settings.hub_weight * view.penalties,
            "balanced": lambda i: calibrate(chunk_scores(i) - balance.settings.hub_weight *
                                            view.penalties, view.grouping, balance.settings),
            "mean-z": lambda i: calibrate(means @ means[i] - balance.settings.hub_weight *
                                          view.penalties, view.grouping, balance.settings),
        }
        def prf(i: int, m: int, alpha: float, base: str = "balanced") -> np.ndarray:
            first = np.asarray(variants[base](i), np.float64).copy()
            first[i] = -np.inf
            top = np.argsort(-first)[:m]
            vector = means[i] + alpha * means[top].mean(axis=0)
            vector /= np.linalg.norm(vector)
            scores = view.rows @ vector
            best = np.maximum.reduceat(scores[view.row_order], view.row_starts)
            return calibrate(best - balance.settings.hub_weight * view.penalties, view.grouping,
                             balance.settings)

        def tagged(i: int, base: str, w: float) -> np.ndarray:
            return variants[base](i) + w * tags(i)

        for m, alpha in ((3, 0.5), (5, 0.5), (5, 1.0), (10, 1.0)):
            variants[f"prf {m} {alpha}"] = functools.partial(prf, m=m, alpha=alpha)
        variants["balanced+mean-z"] = lambda i: variants["balanced"](i) + variants["mean-z"](i)
        half = {i for i in range(len(ids)) if i % 2 == 0}

        def half_tags(i: int) -> np.ndarray:
            bonus = tags(i) if i in half else np.zeros(len(ids))
            bonus[[j for j in range(len(ids)) if j not in half]] = 0.0
            return bonus

        variants["balanced +tags 1.0 (half tagged)"] = lambda i: (variants["balanced"](i)
                                                                  + half_tags(i))
        variants["prf 5 0.5 +tags 1.0"] = lambda i: variants["prf 5 0.5"](i) + tags(i)
        variants["prf 5 0.5 +tags 1.0 (half)"] = lambda i: variants["prf 5 0.5"](i) + half_tags(i)
        for w in (0.5, 1.0, 2.0):
            variants[f"mean-z +tags {w}"] = functools.partial(tagged, base="mean-z", w=w)
            variants[f"balanced +tags {w}"] = functools.partial(tagged, base="balanced", w=w)
        for name in list(variants):
            print(f"{name:24s}", *score(variants[name], sources, topics, language, False))
        for name in ("mean-z", "balanced", "mean-z +tags 1.0", "balanced +tags 1.0"):
            print(f"{name + ' +1 other':24s}", *score(variants[name], sources, topics,
                                                        language, True))


def score(rank, sources, topics, language, one_other: bool) -> tuple[str, str]:
    """(topic P@5, on-topic other language among the 5) of ranking function `rank`."""
    p5, x5 = [], []
    for i in sources:
        scores = np.asarray(rank(i), np.float64).copy()
        scores[i] = -np.inf
        order = np.argsort(-scores, kind="stable")
        top = list(order[:5])
        if one_other and all(language[j] == language[i] for j in top[:4]):
            other = next(j for j in order if language[j] != language[i])
            top = [*top[:4], other] if other not in top else top
        on = [j for j in top if topics[j] & topics[i]]
        p5.append(len(on) / 5)
        x5.append(any(language[j] != language[i] for j in on))
    return f"P@5 {np.mean(p5):.3f}", f"xlang@5 {np.mean(x5):.3f}"


if __name__ == "__main__":
    main()
