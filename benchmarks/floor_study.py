"""Where the relevance floor goes: evidence of the results of real and nonsense queries.

Run after eval_devset.py --work DIR (it reuses that database and index):
    python benchmarks/floor_study.py --work DIR

For every short teacher query and late-paragraph query of the development set, and for
nonsense queries (keyboard mashes, emoji, made-up words in several scripts), prints the
language-calibrated dense z-score (search_index.balance) and the keyword coverage of each of
the top 10 results, marked on topic or not, then how many on-topic results and how many
nonsense results each candidate floor keeps. search_index/floor.py records the choice.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import crosslingual as xl  # noqa: E402
from benchmarks import devset_data as dev  # noqa: E402

NONSENSE = ("zzqxw blorf", "asdfgh", "🙂🙂🙂", "qwertyuiop asdf", "jkjkjk lol", "ффывап",
            "ذذذذ ضصث", "啊啊啊啊", "xkcd 1234", "blah blah blah", "lorem ipsum dolor",
            "???", "aaaa")


def evidence(index, query: str, k: int = 10, cosine: bool = False
             ) -> list[tuple[int, float, float]]:
    """[(doc id, dense z, keyword coverage)] of the top k fused results (cosine: the best
    passage's cosine with the query, neutralised vectors, instead of z)."""
    vector = index._query_vector(" ".join(query.split()))
    dense = dict(index._dense(vector, None))
    if cosine:
        dense = {d: float((index._vectors.doc_vectors(d) @ vector).max()) for d in dense}
    keyword = {d: c for d, _, c in index._keywords.search_with_coverage(
        query, allowed_doc_ids=None, limit=index.candidates)}
    found = index.search(query, limit=k).hits
    return [(h.id, dense.get(h.id, float("-inf")), keyword.get(h.id, 0.0)) for h in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--floors", type=float, nargs="*", default=[],
                        help="more floors to report")
    parser.add_argument("--cosine", action="store_true",
                        help="the best passage's cosine instead of the z-score")
    args = parser.parse_args()
    from sqlalchemy import select

    from app.db import get_session
    from app.search import get_search
    from practices.models import Practice
    from search_index.floor import FLOORS

    FLOORS.clear()  # rank as without a floor: the study is where to put it
    app = xl.make_app(f"sqlite:///{args.work / 'devset.db'}", args.work / "index")
    labels = dev.read_labels()
    practices = {p.external_id: p for p in dev.read_practices(labels=labels)}
    with app.test_request_context():
        session = get_session()
        index = get_search().catch_up(session).index
        external = dict(session.execute(select(Practice.id, Practice.external_id)).all())
        real = [(q.text, q.topics) for q in labels.queries] + [
            (q.text, practices[dev.PREFIX + q.practice].topics) for q in labels.late]
        on_z, off_z, on_cov, nonsense_best = [], [], [], []
        rows = []
        for text, topics in real:
            for doc, z, cov in evidence(index, text, cosine=args.cosine):
                p = practices.get(external[doc])
                on = p is not None and bool(p.topics & topics)
                (on_z if on else off_z).append(z)
                rows.append((text, on, z, cov))
                if on:
                    on_cov.append(cov)
        for text in NONSENSE:
            found = evidence(index, text, cosine=args.cosine)
            best_z = max((z for _, z, _ in found), default=float("-inf"))
            best_c = max((c for _, _, c in found), default=0.0)
            nonsense_best.append((text, best_z, best_c))
            print(f"nonsense {text!r}: best {best_z:.3f}, best coverage {best_c:.2f}")
    on_z, off_z = np.array(on_z), np.array(off_z)
    print(f"\non-topic results in real top 10s: {len(on_z)}, off-topic: {len(off_z)}")
    for q in (0.05, 0.1, 0.25, 0.5):
        print(f"  z quantile {q}: on {np.quantile(on_z, q):.2f}  off {np.quantile(off_z, q):.2f}")
    print("\nfloor z (keyword coverage >= C also passes): on-topic kept / off-topic kept / "
          "nonsense queries with a result")
    for cov_floor in (0.99, 1.01):
        every = np.concatenate([on_z, off_z])
        for zf in [*np.quantile(every, np.linspace(0.02, 0.6, 12)), *args.floors]:
            kept_on = sum(1 for _, on, z, c in rows if on and (z >= zf or c >= cov_floor))
            kept_off = sum(1 for _, on, z, c in rows if not on and (z >= zf or c >= cov_floor))
            bad = sum(1 for _, z, c in nonsense_best if z >= zf or c >= cov_floor)
            print(f"  C {cov_floor:.2f} z {zf:.3f}: {kept_on}/{len(on_z)} on, "
                  f"{kept_off}/{len(off_z)} off, nonsense {bad}/{len(nonsense_best)}")


if __name__ == "__main__":
    main()
