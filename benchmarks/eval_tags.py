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

Drafts in other languages (issue 10; the reference texts are English only):
  SDG set (sdg/sdg_texts_multilingual.jsonl, the 169 targets in each of its 26 languages): is
  the target's Goal among the first 3 suggested Goals, per language. "as shown" ranks with the
  product's references, which hold the official English wording of that very target, so an
  English target finds itself (about 1.0 by construction) and a translation measures how
  well the model matches it to its English original; "own target left out" drops that one
  reference, so the Goal must be recognised from its name, its wording and its other targets.
  Development set (benchmarks/devset, 151 practices in 16 languages, themes and SDG targets
  assigned by hand): first suggested theme is one of the practice's themes (p@1: the form
  shows SHOWN["themes"] = 1) / one of the first 2; the Goal of one of its SDG targets among
  the Goals of the first 3 suggested targets (what the form shows) and among the first 3
  Goals; English against the other languages, and per language.

Run: `python benchmarks/eval_tags.py [--cache DIR]` (real model; about 5 minutes on 2 cores,
seconds for the SDG set once --cache holds its vectors) or `--encoder hashing` (seconds;
figures meaningless, for checking the script).
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

from benchmarks import devset_data as dev  # noqa: E402
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


UN = ("ar", "en", "es", "fr", "ru", "zh-Hans")


def _cached_embed(encoder, texts: list[str], cache: Path | None, name: str) -> list[np.ndarray]:
    """embed(encoder, [("", text)]) for every text, kept in <cache>/<name>.npz when given."""
    path = None if cache is None else cache / f"{name}-{encoder.model_id.replace('/', '_')}.npz"
    if path is not None and path.exists():
        with np.load(path) as saved:
            if list(saved["texts"]) == texts:
                return np.split(saved["vectors"], saved["bounds"])
    vectors = embed(encoder, [("", t) for t in texts])
    if path is not None:
        cache.mkdir(parents=True, exist_ok=True)
        bounds = np.cumsum([len(v) for v in vectors])[:-1]
        np.savez(path, texts=np.array(texts), vectors=np.concatenate(vectors), bounds=bounds)
    return vectors


def goal_scores(encoder) -> tuple[np.ndarray, np.ndarray, list[str | None]]:
    """The Goal references as TagRanker holds them: (vectors (n_refs, dim), owning Goal of
    each (n_refs,), the target code each reference is the wording of, or None)."""
    targets = tag_reference.sdg_target_references()
    wording = {texts[0]: code for code, texts in targets.items()}
    owners, texts = [], []
    for goal, refs in tag_reference.sdg_goal_references().items():
        owners += [goal] * len(refs)
        texts += refs
    vectors = np.asarray(encoder.encode_queries(texts), np.float32)
    return vectors, np.asarray(owners), [wording.get(t) for t in texts]


def _goals_ranked(refs: np.ndarray, owners: np.ndarray, chunks: np.ndarray,
                  dropped: np.ndarray | None = None) -> list[int]:
    """Goals best first by the best (reference, chunk) cosine (TagRanker.rank), without the
    references marked in `dropped`."""
    per_reference = (refs @ chunks.T).max(axis=1)
    if dropped is not None:
        per_reference = np.where(dropped, -np.inf, per_reference)
    goals = np.unique(owners)
    best = np.array([per_reference[owners == g].max() for g in goals])
    return goals[np.argsort(-best, kind="stable")].tolist()


def sdg_language_figures(encoder, cache: Path | None) -> dict[str, dict[str, float]]:
    """Goal among the first 3 suggested Goals for each SDG target text, per language (module
    doc): {language: {"shown": share, "left_out": share}}."""
    path = shared_file("sdg", "sdg_texts_multilingual.jsonl")
    records = [r for r in map(json.loads, path.read_text("utf-8").splitlines())
               if r["kind"] == "target"]
    vectors = _cached_embed(encoder, [r["body"] for r in records], cache, "sdg_targets")
    refs, owners, codes = goal_scores(encoder)
    codes = np.array([c or "" for c in codes])
    hits: dict[str, dict[str, list[bool]]] = {}
    for record, chunks in zip(records, vectors, strict=True):
        goal = int(record["goal"])
        row = hits.setdefault(record["language"], {"shown": [], "left_out": []})
        row["shown"].append(goal in _goals_ranked(refs, owners, chunks)[:3])
        row["left_out"].append(goal in _goals_ranked(refs, owners, chunks,
                                                     codes == record["code"])[:3])
    figures = {lang: {k: float(np.mean(v)) for k, v in row.items()}
               for lang, row in sorted(hits.items())}
    print(f"\nSDG targets in {len(figures)} languages ({len(records)} texts): the target's Goal "
          "among the first 3 suggested Goals")
    print(f"{'language':10s} {'as shown':>9s} {'own target left out':>20s}")
    for lang, row in sorted(figures.items(), key=lambda kv: -kv[1]["left_out"]):
        print(f"{lang:10s} {row['shown']:9.3f} {row['left_out']:20.3f}")
    for name, chosen in (("English", ["en"]), ("UN, not en", [u for u in UN if u != "en"]),
                         ("other 20", [lang for lang in figures if lang not in UN])):
        print(f"{name:10s} " + " ".join(
            f"{np.mean([figures[lang][k] for lang in chosen]):{w}.3f}"
            for k, w in (("shown", 9), ("left_out", 20))))
    return figures


def devset_figures(encoder) -> dict[str, dict[str, float]]:
    """Themes and SDG suggestions on the development set's practices, per language."""
    practices = dev.read_practices()
    vectors = embed(encoder, [(p.title, p.body) for p in practices])
    themes = TagRanker(encoder, tag_reference.theme_references())
    targets = TagRanker(encoder, tag_reference.sdg_target_references())
    goals = TagRanker(encoder, tag_reference.sdg_goal_references())
    rows: dict[str, dict[str, list[bool]]] = {}
    for p, chunks in zip(practices, vectors, strict=True):
        row = rows.setdefault(p.language.split("-")[0], {k: [] for k in (
            "theme@1", "theme@2", "targets@3", "goals@3")})
        ranked = [t.key for t in themes.rank(chunks)]
        row["theme@1"].append(ranked[0] in p.themes)
        row["theme@2"].append(bool(set(ranked[:2]) & set(p.themes)))
        own = {int(code.split(".")[0]) for code in p.sdg_targets}
        if own:
            shown = {int(str(t.key).split(".")[0]) for t in targets.rank(chunks)[:3]}
            row["targets@3"].append(bool(own & shown))
            row["goals@3"].append(bool(own & {t.key for t in goals.rank(chunks)[:3]}))
    common = [t for t, _ in Counter(t for p in practices for t in p.themes).most_common()]
    print(f"\nDevelopment set ({len(practices)} practices): themes and SDG suggestions; "
          f"always the most frequent themes ({', '.join(common[:2])}): theme@1 "
          f"{np.mean([common[0] in p.themes for p in practices]):.3f}, theme@2 "
          f"{np.mean([bool(set(common[:2]) & set(p.themes)) for p in practices]):.3f}")
    print(f"{'language':10s} {'n':>3s} {'theme@1':>8s} {'theme@2':>8s} {'n SDG':>6s} "
          f"{'targets@3':>10s} {'goals@3':>8s}")
    groups = {"en": ["en"], "not en": [lang for lang in rows if lang != "en"]}
    groups |= {lang: [lang] for lang in sorted(rows, key=lambda x: -len(rows[x]["theme@1"]))}
    figures = {}
    for name, chosen in groups.items():
        merged = {k: [v for lang in chosen for v in rows[lang][k]] for k in rows[chosen[0]]}
        figures[name] = {k: float(np.mean(v)) if v else None for k, v in merged.items()}
        cells = [f"{len(merged['theme@1']):3d}", *(f"{figures[name][k]:8.3f}" for k in (
            "theme@1", "theme@2")), f"{len(merged['goals@3']):6d}", *(
            f"{figures[name][k]:{w}.3f}" if figures[name][k] is not None else f"{'-':>{w}s}"
            for k, w in (("targets@3", 10), ("goals@3", 8)))]
        print(f"{name:10s} " + " ".join(cells))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", choices=("model", "hashing"), default="model")
    parser.add_argument("--model", default=str(REPO / "instance/models/multilingual-e5-small"))
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the SDG set's vectors here between runs")
    args = parser.parse_args()
    encoder = _encoder(args.encoder, args.model)
    print(f"encoder: {encoder.model_id}")
    sdg_figures(encoder)
    demo_figures(encoder)
    sdg_language_figures(encoder, args.cache)
    devset_figures(encoder)


if __name__ == "__main__":
    main()
