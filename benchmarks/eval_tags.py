"""Tag suggestions: SDG Goals on the shared SDG benchmark, themes, pillars and emerging issues
by leave-one-out on the demo practices, each beside a trivial baseline.

SDG (sdg_benchmark_en.jsonl, read through tests/shared_data.py): for each snippet labelled
relevant to Goal G, rank the 17 Goals (practices.tag_reference.sdg_goal_references, chunks max)
and the 169 targets. "goal in top 3": G among the 3 best Goals; "targets top k": G is the Goal
of one of the k best targets (what the form shows). "unrelated first": on the snippets the
experts labelled NOT relevant to G, how often G is the first suggested Goal. Baseline: always the
most frequent Goals of the relevant snippets.

Demo (practices/data/demo_practices.jsonl, 60 practices): "p@1" = the first suggestion is one of
the practice's own tags, "hit@k" = one of the first k is. Two rankers: the reference texts alone
(nothing learnt from the demo, so leaving one out changes nothing) and the nearest other demo
practices (each practice's tags predicted from the 5 closest others, itself left out).
Baseline: the most frequent tag among the other 59.

Run: `python benchmarks/eval_tags.py` (real model; about 2 minutes on 2 cores) or
`--encoder hashing` (seconds; figures meaningless, for checking the script).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from shared_data import shared_file  # noqa: E402

from practices import tag_reference  # noqa: E402
from practices.demo import DEMO_FILE  # noqa: E402
from search_index.embedding import embed  # noqa: E402
from search_index.suggest import TagRanker  # noqa: E402

KS = (1, 2, 3, 5)


def _encoder(kind: str, model: str):
    if kind == "hashing":
        from search_index.encoder import HashingEncoder

        return HashingEncoder()
    from search_index.model_encoder import ModelEncoder

    return ModelEncoder(model, threads=2)


def sdg_figures(encoder) -> None:
    path = shared_file("sdg_benchmark", "sdg_benchmark_en.jsonl")
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    vectors = embed(encoder, [("", r["body"]) for r in records])
    goals = TagRanker(encoder, tag_reference.sdg_goal_references())
    targets = TagRanker(encoder, tag_reference.sdg_target_references())
    relevant = [i for i, r in enumerate(records) if r["label"]]
    unrelated = [i for i, r in enumerate(records) if not r["label"]]
    goal_rank = {i: [t.key for t in goals.rank(vectors[i])] for i in range(len(records))}
    target_goals = {i: [int(str(t.key).split(".")[0]) for t in targets.rank(vectors[i])]
                    for i in relevant}
    common = [g for g, _ in Counter(records[i]["sdg"] for i in relevant).most_common()]

    def share(hits) -> float:
        return float(np.mean(list(hits)))

    print(f"SDG benchmark: {len(relevant)} relevant snippets, {len(unrelated)} labelled "
          f"not relevant to their Goal")
    print(f"{'':34s} {'goal@1':>7s} {'goal@3':>7s} {'unrelated first':>16s}")
    print(f"{'baseline (most frequent Goals)':34s} "
          f"{share(records[i]['sdg'] == common[0] for i in relevant):7.3f} "
          f"{share(records[i]['sdg'] in common[:3] for i in relevant):7.3f} "
          f"{share(records[i]['sdg'] == common[0] for i in unrelated):16.3f}")
    print(f"{'Goals ranked (goal + its targets)':34s} "
          f"{share(goal_rank[i][0] == records[i]['sdg'] for i in relevant):7.3f} "
          f"{share(records[i]['sdg'] in goal_rank[i][:3] for i in relevant):7.3f} "
          f"{share(goal_rank[i][0] == records[i]['sdg'] for i in unrelated):16.3f}")
    print("targets shown, k = " + "  ".join(
        f"{k}: {share(records[i]['sdg'] in target_goals[i][:k] for i in relevant):.3f}"
        for k in KS) + "   (labelled Goal among the Goals of the first k targets)")
    print("  and the share of those k targets that belong to the labelled Goal: " + "  ".join(
        f"{k}: {share(_own_share(target_goals[i][:k], records[i]['sdg']) for i in relevant):.3f}"
        for k in KS))


def _own_share(goals: list[int], goal: int) -> float:
    return float(np.mean([g == goal for g in goals]))


def demo_figures(encoder) -> None:
    records = [json.loads(line) for line in DEMO_FILE.read_text("utf-8").splitlines()]
    vectors = embed(encoder, [(r["title"], (r.get("summary") or "") + "\n\n" + r["body"])
                              for r in records])
    means = np.stack([v.mean(axis=0) / np.linalg.norm(v.mean(axis=0)) for v in vectors])
    kinds = {"themes": tag_reference.theme_references(),
             "pillars": tag_reference.pillar_references(),
             "emerging_issues": tag_reference.issue_references()}
    print(f"\nDemo practices ({len(records)}), leave-one-out")
    print(f"{'':18s} {'ranker':22s} " + " ".join(f"{'p@1' if k == 1 else f'hit@{k}':>6s}"
                                                  for k in KS))
    for kind, references in kinds.items():
        ranker = TagRanker(encoder, references)
        rows: dict[str, list[list[bool]]] = {"baseline": [], "reference texts": [],
                                             "5 nearest others": []}
        for i, record in enumerate(records):
            own = set(record.get(kind) or [])
            if not own:
                continue
            others = [j for j in range(len(records)) if j != i]
            freq = [t for t, _ in Counter(t for j in others
                                          for t in records[j].get(kind) or []).most_common()]
            near = sorted(others, key=lambda j: -float(means[i] @ means[j]))[:5]
            votes = Counter()
            for rank, j in enumerate(near):
                for t in records[j].get(kind) or []:
                    votes[t] += 1.0 / (rank + 1)
            knn = [t for t, _ in votes.most_common()] + [t for t in freq if t not in votes]
            ref = [t.key for t in ranker.rank(vectors[i])]
            for name, ranked in (("baseline", freq), ("reference texts", ref),
                                 ("5 nearest others", knn)):
                rows[name].append([bool(own & set(ranked[:k])) for k in KS])
        for name, hits in rows.items():
            cells = " ".join(f"{v:6.3f}" for v in np.mean(np.array(hits), axis=0))
            print(f"{kind + f' (n={len(hits)})':18s} {name:22s} {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", choices=("model", "hashing"), default="model")
    parser.add_argument("--model", default=str(REPO / "instance/models/multilingual-e5-small"))
    args = parser.parse_args()
    encoder = _encoder(args.encoder, args.model)
    print(f"encoder: {encoder.model_id}")
    sdg_figures(encoder)
    demo_figures(encoder)


if __name__ == "__main__":
    main()
