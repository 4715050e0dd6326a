"""Which dense ranking balances languages best? Reproduces search_index/calibration.py's table.

Dense retrieval only (no keyword search), numpy, multilingual-e5-small, the default language
neutralizer. Measures as in benchmarks/neutralization_study.py (SDG all@10, Y@1, Y@10 over the
30 ordered pairs of the 6 UN languages; xling all@1 and en@1; 22 keyword queries kw@1), plus:
  IND     the same SDG measures on the SDG indicators (222 x 6 texts; those sharing an English
          text with another code left out): the set the parameters were chosen on.
  half    SDG measures on the half of the targets whose group id hashes odd (corpus = that half).
  topics  nDCG@10 (gain 1 same indicator in any language, .3 same goal) on indicator corpora
          where one language keeps all 17 goals and each other keeps 6 random goals (8 seeds):
          for most queries some languages hold nothing relevant.
  sizes   the same on corpora whose languages keep 100/70/47/24/9/2.5 % of the indicators.
Texts are given to the model as the product gives them (search_index.st_encoder.prepare:
tatweel and soft hyphens removed); rows marked "raw" keep them, as before that step.
Document hubness leaves out a text's own translations (a real corpus rarely has them); the
row "... translations as neighbours" counts them, as the product does on the SDG import.

Run: python benchmarks/balance_study.py [--model DIR] [--cache DIR]
About 15 minutes on 2 cores from scratch, 1-2 minutes with --cache filled.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))

import neutralization_study as ns  # noqa: E402

from search_index.calibration import Calibration, Grouping, calibrate  # noqa: E402
from search_index.hubness import HubnessTable  # noqa: E402
from search_index.neutral import LanguageNeutralizer, load_reference  # noqa: E402
from search_index.st_encoder import prepare  # noqa: E402

UN = ns.UN
ADOPTED = Calibration()


class Model:
    """The model, loaded on first use; `raw` bypasses the product's text preparation.

    Every text reaching the cache is encoded exactly as it is (prepared texts are prepared
    before), so one cache serves both: its key is the text.
    """

    model_id = "intfloat/multilingual-e5-small"

    def __init__(self, folder: str) -> None:
        self.folder, self._model = folder, None

    def encode(self, texts, prompt: str) -> np.ndarray:
        if self._model is None:
            from search_index.st_encoder import SentenceTransformerEncoder

            self._model = SentenceTransformerEncoder(self.folder, threads=2)._model
        return np.asarray(self._model.encode(list(texts), prompt_name=prompt,
                                             normalize_embeddings=True), np.float32)

    def encode_passages(self, texts) -> np.ndarray:
        return self.encode(texts, "passage")

    def encode_queries(self, texts) -> np.ndarray:
        return self.encode(texts, "query")


class Encoder(ns.CachedEncoder):
    """The cached encoder; raw=False gives the model each text as the product does."""

    def __init__(self, model: Model, cache: Path | None, raw: bool) -> None:
        super().__init__(model, cache)
        self.raw = raw

    def _encode(self, texts, prompt: str) -> np.ndarray:
        return super()._encode([t if self.raw else prepare(t) for t in texts], prompt)


def indicators(enc) -> dict:
    """SDG indicators in the 6 UN languages, both prompts (the tuning set)."""
    by: dict[str, dict[str, str]] = {}
    for r in ns._jsonl("sdg", "sdg_texts_multilingual.jsonl"):
        if r["kind"] == "indicator" and r["language"] in UN and not r["same_english_text_as"]:
            by.setdefault(r["group_id"], {})[r["language"]] = r["body"]
    rows = [(g, lang, t) for g, v in by.items() if len(v) == len(UN) for lang, t in v.items()]
    texts = [t for *_, t in rows]
    return {"lang": np.array([r[1] for r in rows]), "gid": np.array([r[0] for r in rows]),
            "passage": enc.encode_passages(texts), "query": enc.encode_queries(texts)}


# A scorer maps (queries (q, dim), documents (n, dim), document languages (n,), document
# groups (n,)) to a (q, n) score matrix. Transforms are applied before.
def plain(q, p, lang, gid):
    return q @ p.T


def balanced(settings: Calibration = ADOPTED, hub: bool = True, translations: bool = False):
    """The product's dense ranking: hubness penalty, then per-language calibration."""
    def score(q, p, lang, gid):
        codes = np.unique(lang, return_inverse=True)[1]
        s = q @ p.T
        if hub and settings.hub_weight:
            s = s - settings.hub_weight * _penalties(p, codes, gid, settings, translations)
        grouping = Grouping.of(codes)
        return np.stack([calibrate(row, grouping, settings) for row in s])
    return score


def _penalties(p, codes, gid, settings, translations: bool) -> np.ndarray:
    if translations:  # exactly what the product computes
        table = HubnessTable(p.shape[1], settings.hub_neighbours)
        ids = np.arange(len(p))
        table.upsert(ids, codes, p)
        return table.penalties(ids, codes)
    sims = p @ p.T
    sims[(codes[:, None] == codes[None, :]) | (gid[:, None] == gid[None, :])] = -np.inf
    k = settings.hub_neighbours
    r = np.where(np.isfinite(top := -np.partition(-sims, k - 1, axis=1)[:, :k]), top, 0).mean(1)
    return r - (np.bincount(codes, r) / np.bincount(codes))[codes]


def hub_only(settings: Calibration = ADOPTED):
    """The hubness penalty alone, on cosine scores."""
    def score(q, p, lang, gid):
        codes = np.unique(lang, return_inverse=True)[1]
        return q @ p.T - settings.hub_weight * _penalties(p, codes, gid, settings, False)
    return score


def top_m(m: int):
    """CORI-like baseline: subtract the mean of the query's m best scores in each language."""
    def score(q, p, lang, gid):
        s = q @ p.T
        for g in np.unique(lang):
            cols = lang == g
            k = min(m, cols.sum())
            s[:, cols] -= -np.partition(-s[:, cols], k - 1, axis=1)[:, :k].mean(1, keepdims=True)
        return s
    return score


def sdg_measures(d: dict, transform, scorer) -> dict:
    """all10 / y1 / y10 per ordered pair over the texts of `d`."""
    q, p = transform(d["query"], d["lang"], "query"), transform(d["passage"], d["lang"], "passage")
    s = scorer(q, p, d["lang"], d["gid"])
    lang, same = d["lang"], d["gid"][:, None] == d["gid"][None, :]
    out: dict[str, dict] = {"all10": {}, "y1": {}, "y10": {}}
    for y in UN:
        r_all = ns.ranks(s, same & (lang == y)[None, :])
        r_y = ns.ranks(s[:, lang == y], same[:, lang == y])
        for x in (x for x in UN if x != y):
            qx = lang == x
            out["all10"][x, y] = (r_all[qx] < 10).mean()
            out["y1"][x, y], out["y10"][x, y] = (r_y[qx] < 1).mean(), (r_y[qx] < 10).mean()
    return out


def ndcg_goal(d: dict, transform, scorer, k: int = 10) -> float:
    q, p = transform(d["query"], d["lang"], "query"), transform(d["passage"], d["lang"], "passage")
    s = scorer(q, p, d["lang"], d["gid"])
    goal = np.array([g.split("-")[-1].split(".")[0] for g in d["gid"]])
    gain = np.where(d["gid"][:, None] == d["gid"][None, :], 1.0,
                    np.where(goal[:, None] == goal[None, :], 0.3, 0.0))
    disc = 1 / np.log2(np.arange(2, k + 2))
    got = (np.take_along_axis(gain, np.argsort(-s, axis=1)[:, :k], 1) * disc).sum(1)
    return float((got / (-np.sort(-gain, 1)[:, :k] * disc).sum(1)).mean())


def skewed(d: dict, kind: str, seed: int) -> dict:
    """A corpus from `d` with languages covering different goals ("topics") or sizes."""
    rng = np.random.default_rng(seed)
    goal = np.array([g.split("-")[-1].split(".")[0] for g in d["gid"]])
    keep = np.zeros(len(d["lang"]), bool)
    groups, goals, langs = np.unique(d["gid"]), np.unique(goal), rng.permutation(list(UN))
    for i, lang in enumerate(langs):
        if kind == "topics":
            chosen = goals if i == 0 else rng.choice(goals, 6, replace=False)
            keep |= (d["lang"] == lang) & np.isin(goal, chosen)
        else:
            share = (1.0, .7, .47, .24, .09, .025)[i]
            chosen = rng.choice(groups, max(2, int(share * len(groups))), replace=False)
            keep |= (d["lang"] == lang) & np.isin(d["gid"], chosen)
    return {k: v[keep] for k, v in d.items()}


def half(d: dict) -> dict:
    odd = np.array([int(hashlib.sha1(g.encode()).hexdigest(), 16) % 2 for g in d["gid"]]) == 1
    return {k: v[odd] for k, v in d.items()}


def xling(d: dict, transform, scorer) -> tuple[float, float, float]:
    x, kw = d["xl"], d["kw"]
    p = transform(x["passage"], x["lang"], "passage")
    s = scorer(transform(x["query"], x["lang"], "query"), p, x["lang"], x["gid"])
    same, en = x["gid"][:, None] == x["gid"][None, :], x["lang"] == "en"
    r_all = ns.ranks(np.where(same & ~en[None, :], -np.inf, s), same & en[None, :])
    r_en = ns.ranks(s[:, en], same[:, en])
    langs = [lg for lg in dict.fromkeys(x["lang"]) if lg != "en"]
    all1 = min((r_all[x["lang"] == lg] == 0).mean() for lg in langs)
    en1 = min((r_en[x["lang"] == lg] == 0).mean() for lg in langs)
    top = scorer(transform(kw["query"], kw["lang"], "query"), p, x["lang"], x["gid"]).argmax(1)
    return all1, en1, float((x["gid"][top] == kw["gid"]).mean())


def evaluate(d: dict, transform, scorer) -> dict:
    def spread(m):
        return min(m.values()), float(np.mean(list(m.values())))
    sdg, ind, hb = (sdg_measures(data, transform, scorer)
                    for data in (d["sdg"], d["ind"], half(d["sdg"])))
    a10, y1 = spread(sdg["all10"]), spread(sdg["y1"])
    worst = min(sdg["all10"], key=sdg["all10"].get)
    row = {"all10": f"{a10[0]:.3f}/{a10[1]:.3f}", "worst": f"{worst[0]}>{worst[1]}",
           "y1": f"{y1[0]:.3f}/{y1[1]:.3f}", "y10": f"{min(sdg['y10'].values()):.3f}"}
    found = xling(d, transform, scorer)
    row |= {key: f"{v:.3f}" for key, v in zip(("xl_all1", "xl_en1", "kw1"), found, strict=True)}
    for name, m in (("IND", ind), ("half", hb)):
        low, mean = spread(m["all10"])
        row[name] = f"{low:.3f}/{mean:.3f} {min(m['y1'].values()):.3f}"
    for kind in ("topics", "sizes"):
        ndcg = [ndcg_goal(skewed(d["ind"], kind, seed), transform, scorer) for seed in range(8)]
        row[kind] = f"{np.mean(ndcg):.3f}"
    return row


COLUMNS = ("all10", "worst", "y1", "y10", "xl_all1", "xl_en1", "kw1", "IND", "half", "topics",
           "sizes")
WIDTHS = (11, 10, 11, 6, 7, 6, 6, 17, 17, 6, 6)


def print_row(name: str, row: dict) -> None:
    cells = " ".join(f"{row[c]:>{w}s}" for c, w in zip(COLUMNS, WIDTHS, strict=True))
    print(f"{name:44s} {cells}", flush=True)


def neutralized(neut: LanguageNeutralizer | None):
    return (lambda v, lang, prompt: v) if neut is None else (
        lambda v, lang, prompt: neut.transform(v))


def load(enc) -> dict:
    d = ns.load_data(enc, quick=True)
    d["ind"] = indicators(enc)
    return d


def print_pairs(d: dict, transform, scorer, name: str) -> None:
    """Per-pair SDG tables (rows: query language X, columns: document language Y)."""
    measures = sdg_measures(d["sdg"], transform, scorer)
    for key, title in (("all10", "all@10 among 1,014"), ("y1", "Y@1 with language=Y"),
                       ("y10", "Y@10 with language=Y")):
        print(f"\n{name}: SDG {title}")
        print("X->Y".ljust(8) + "".join(f"{y:>9s}" for y in UN))
        for x in UN:
            print(f"{x:8s}" + "".join(f"{measures[key][x, y]:9.3f}" if x != y else f"{'-':>9s}"
                                      for y in UN))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(REPO / "instance/models/multilingual-e5-small"))
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep embeddings in")
    args = parser.parse_args()
    model, ref = Model(args.model), load_reference()
    print(f"{'method':44s} " + " ".join(f"{c:>{w}s}" for c, w in zip(COLUMNS, WIDTHS,
                                                                     strict=True)))
    for raw in (True, False):
        enc = Encoder(model, args.cache, raw)
        d, neut = load(enc), LanguageNeutralizer.fit(enc, ref)
        tag = "raw " if raw else ""
        print_row(f"{tag}(a) bare model", evaluate(d, neutralized(None), plain))
        print_row(f"{tag}(b) neutralizer (project+center r=20)", evaluate(
            d, neutralized(neut), plain))
        if raw:
            continue
        rows = {"(B) + hubness penalty": hub_only(),
                "(A) + calibration": balanced(hub=False),
                "(A+B) + hubness + calibration *": balanced(),
                "(A+B) ... translations as neighbours": balanced(translations=True),
                "(A+B) shrinkage 30": balanced(Calibration(shrinkage=30)),
                "(A+B) tail 1.0 (plain z-scores)": balanced(Calibration(tail=1.0)),
                "(A') top-3 baseline per language": top_m(3)}
        for name, scorer in rows.items():
            print_row(name, evaluate(d, neutralized(neut), scorer))
        sym = {**d, **{k: {**d[k], "passage": d[k]["query"]} for k in ("sdg", "xl", "ind")}}
        print_row("(C) documents with the query prompt too", evaluate(
            sym, neutralized(neut), balanced()))
        print_pairs(d, neutralized(neut), plain, "(b) neutralizer")
        print_pairs(d, neutralized(neut), balanced(), "(A+B) adopted")


if __name__ == "__main__":
    main()
