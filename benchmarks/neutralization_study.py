"""Which language neutralizer should the index use? Reproduces the table in search_index/neutral.py.

Dense retrieval only (no keyword search), numpy brute force, multilingual-e5-small.
Protocols (query prompt for queries, passage prompt for documents):
  SDG     169 SDG targets x 6 UN languages (ar en es fr ru zh-Hans) = 1,014 texts. For each ordered
          pair X != Y: share of targets whose Y version is in the top 10 when the X version is
          the query, among ALL 1,014 texts ("all@10"); and among the 169 Y texts only, as with a
          `language=Y` filter ("Y@1", "Y@10"). min and mean over the 30 pairs.
  xling   30 practices x 7 languages (en fr es ar zh-Hans ru sw). Each non-English version is a
          query; hit when its English version ranks first among the 30 English texts ("en@1"),
          and among all 210 texts minus the practice's own non-English versions ("all@1": the
          English version must beat every other practice in every language). min over languages.
  kw      22 short keyword queries (7 languages): the practice they name, in any language,
          ranks first among the 210 texts.
  same    same-language retrieval: each SDG indicator (1,512 = 252 x 6) finds its own target
          among the 169 targets of its language (@1, mean over languages).
  unseen  the 26-language SDG set (4,394 targets): mean all@10 over pairs of languages that the
          reference has, and over pairs with one language it lacks (ca cnr fo hy kk km ky lo my
          nb-NO tg tk); and leave-one-out: fit without language L, then mean all@10 of the pairs
          involving L in the 6-language set.

Run: python benchmarks/neutralization_study.py [--model DIR] [--cache DIR] [--quick]
About 12 minutes on 2 cores from scratch (it encodes about 15,000 texts), 20 s when --cache
already holds the embeddings. The "(c) center, LID py3langid" row and column appear only when
py3langid is importable; it is not a project dependency (pip install --target DIR py3langid,
then PYTHONPATH=DIR).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from shared_data import shared_file  # noqa: E402

from search_index.neutral import LanguageNeutralizer, load_reference  # noqa: E402

UN = ("ar", "en", "es", "fr", "ru", "zh-Hans")
Transform = Callable[[np.ndarray, np.ndarray, str], np.ndarray]  # (vectors, languages, prompt)


class CachedEncoder:
    """Wraps an encoder; keeps every embedding in <cache>/<prompt>.npz keyed by text hash."""

    def __init__(self, encoder, cache: Path | None) -> None:
        self.encoder, self.cache, self.model_id = encoder, cache, encoder.model_id
        self.store: dict[str, dict[str, np.ndarray]] = {}

    def _encode(self, texts, prompt: str) -> np.ndarray:
        if prompt not in self.store:
            self.store[prompt] = self._read(prompt)
        store = self.store[prompt]
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in store}.items())
        if todo:
            fn = self.encoder.encode_queries if prompt == "query" else self.encoder.encode_passages
            for (key, _), vec in zip(todo, fn([t for _, t in todo]), strict=True):
                store[key] = vec
            if self.cache:
                self.cache.mkdir(parents=True, exist_ok=True)
                np.savez(self.cache / f"{prompt}.npz", **store)
        return np.stack([store[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)

    def _read(self, prompt: str) -> dict[str, np.ndarray]:
        path = self.cache / f"{prompt}.npz" if self.cache else None
        if path is None or not path.exists():
            return {}
        with np.load(path) as data:
            return {k: data[k] for k in data.files}

    def encode_passages(self, texts) -> np.ndarray:
        return self._encode(list(texts), "passage")

    def encode_queries(self, texts) -> np.ndarray:
        return self._encode(list(texts), "query")


def _jsonl(*parts: str) -> list[dict]:
    return [json.loads(line) for line in shared_file(*parts).read_text("utf-8").splitlines()]


def load_data(enc: CachedEncoder, quick: bool) -> dict:
    """Encode every evaluation set once (raw vectors, both prompts where needed)."""
    sdg = _jsonl("sdg", "sdg_texts_multilingual.jsonl")
    langs = sorted({r["language"] for r in sdg}) if not quick else list(UN)
    targets = [r for r in sdg if r["kind"] == "target" and r["language"] in langs]
    ind = [r for r in sdg if r["kind"] == "indicator" and r["language"] in UN]
    xl = _jsonl("xling_dev", "practices_7lang.jsonl")
    xrows = [(r["group_id"], lang, text) for r in xl for lang, text in r["texts"].items()]
    kw = _jsonl("xling_dev", "keyword_queries.jsonl")

    def pack(rows, text, lang, group, prompts=("passage", "query")):
        out = {"lang": np.array([lang(r) for r in rows]), "gid": np.array([group(r) for r in rows]),
               "text": np.array([text(r) for r in rows])}
        for p in prompts:
            texts = list(out["text"])
            out[p] = enc.encode_queries(texts) if p == "query" else enc.encode_passages(texts)
        return out

    return {
        "sdg": pack(targets, lambda r: r["body"], lambda r: r["language"], lambda r: r["group_id"]),
        "ind": pack(ind, lambda r: r["body"], lambda r: r["language"],
                    lambda r: "sdg-target-" + ".".join(r["code"].split(".")[:2]), ("query",)),
        "xl": pack(xrows, lambda r: r[2], lambda r: r[1], lambda r: r[0]),
        "kw": pack(kw, lambda r: r["query"], lambda r: r["language"],
                   lambda r: r["relevant_group_id"], ("query",)),
    }


def ranks(scores: np.ndarray, target: np.ndarray) -> np.ndarray:
    """0-based rank of each row's best target column (ties count against the target)."""
    best = np.where(target, scores, -np.inf).max(axis=1)
    return (np.where(target, -np.inf, scores) >= best[:, None]).sum(axis=1)


def sdg_pairs(d: dict, f: Transform, langs) -> dict[str, dict]:
    sel = np.isin(d["lang"], langs)
    lang, gid, labels = d["lang"][sel], d["gid"][sel], d.get("label", d["lang"])[sel]
    s = f(d["query"][sel], labels, "query") @ f(d["passage"][sel], labels, "passage").T
    same = gid[:, None] == gid[None, :]
    out: dict[str, dict] = {"all10": {}, "y1": {}, "y10": {}}
    for y in langs:
        r_all = ranks(s, same & (lang == y)[None, :])
        r_y = ranks(s[:, lang == y], same[:, lang == y])
        for x in langs:
            if x != y:
                qx = lang == x
                out["all10"][x, y] = (r_all[qx] < 10).mean()
                out["y1"][x, y], out["y10"][x, y] = (r_y[qx] < 1).mean(), (r_y[qx] < 10).mean()
    return out


def xling(d: dict, f: Transform) -> tuple[float, float, float]:
    x, kw = d["xl"], d["kw"]
    p = f(x["passage"], x.get("label", x["lang"]), "passage")
    s = f(x["query"], x.get("label", x["lang"]), "query") @ p.T
    same, en = x["gid"][:, None] == x["gid"][None, :], x["lang"] == "en"
    s_all = np.where(same & ~en[None, :], -np.inf, s)
    r_all, r_en = ranks(s_all, same & en[None, :]), ranks(s[:, en], same[:, en])
    qs = [lg for lg in dict.fromkeys(x["lang"]) if lg != "en"]
    all1 = min((r_all[x["lang"] == lg] == 0).mean() for lg in qs)
    en1 = min((r_en[x["lang"] == lg] == 0).mean() for lg in qs)
    top = (f(kw["query"], kw.get("label", kw["lang"]), "query") @ p.T).argmax(axis=1)
    return all1, en1, float((x["gid"][top] == kw["gid"]).mean())


def same_language(d: dict, f: Transform) -> float:
    ind, sdg = d["ind"], d["sdg"]
    q = f(ind["query"], ind.get("label", ind["lang"]), "query")
    p = f(sdg["passage"], sdg.get("label", sdg["lang"]), "passage")
    hits = []
    for lg in UN:
        qi, di = ind["lang"] == lg, sdg["lang"] == lg
        r = ranks(q[qi] @ p[di].T, ind["gid"][qi][:, None] == sdg["gid"][di][None, :])
        hits.append((r == 0).mean())
    return float(np.mean(hits))


def bare(v, labels, prompt):
    return v


def known_centering(neut: LanguageNeutralizer, then: LanguageNeutralizer | None = None):
    """Subtract the mean of each row's given language (nearest mean if not in the reference)."""
    def f(v, labels, prompt):
        means = neut.means[neut.prompts.index(prompt)]
        guess = neut.identify(v)
        idx = [neut.languages.index(lg if lg in neut.languages else g)
               for lg, g in zip(labels, guess, strict=True)]
        out = v - means[idx]
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out if then is None else then.transform(out)
    return f


def own_means(v, labels, prompt):
    """Diagnostic only: centre each set on the per-language means of the very texts evaluated."""
    out = v.copy()
    for lang in set(labels):
        out[labels == lang] -= v[labels == lang].mean(axis=0)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def fitted(neut: LanguageNeutralizer):
    return lambda v, labels, prompt: neut.transform(v)


def with_labels(d: dict, labels: dict[str, np.ndarray] | None) -> dict:
    """The data with `label` (what the transforms are told the language is) set to `labels`."""
    if labels is None:
        return d
    return {k: {**v, "label": labels[k]} if k in labels else v for k, v in d.items()}


def evaluate(d: dict, f: Transform) -> dict[str, float | str]:
    pairs = sdg_pairs(d["sdg"], f, UN)
    all10 = pairs["all10"]
    worst = min(all10, key=all10.get)
    all1, en1, kw1 = xling(d, f)
    return {"all10_min": min(all10.values()), "all10_mean": float(np.mean(list(all10.values()))),
            "worst": f"{worst[0]}>{worst[1]}", "y1_min": min(pairs["y1"].values()),
            "y1_mean": float(np.mean(list(pairs["y1"].values()))),
            "y10_min": min(pairs["y10"].values()), "xl_all1": all1, "xl_en1": en1,
            "kw1": kw1, "same1": same_language(d, f)}


HEAD = ("method", "all10_min", "all10_mean", "worst", "y1_min", "y1_mean", "y10_min",
        "xl_all1", "xl_en1", "kw1", "same1")


def print_row(name: str, row: dict) -> None:
    cells = [f"{row[k]:.3f}" if isinstance(row[k], float) else str(row[k]) for k in HEAD[1:]]
    print(f"{name:38s} " + " ".join(f"{c:>9s}" for c in cells), flush=True)


def print_pairs(d: dict, f: Transform, name: str) -> None:
    """The per-pair SDG tables (rows: query language X, columns: document language Y)."""
    pairs = sdg_pairs(d["sdg"], f, UN)
    for key, title in (("all10", "all@10 among 1,014"), ("y1", "Y@1 with language=Y filter")):
        print(f"\n{name}: SDG {title}")
        print("X->Y".ljust(8) + "".join(f"{y:>9s}" for y in UN))
        for x in UN:
            cells = [f"{pairs[key][x, y]:9.3f}" if x != y else f"{'-':>9s}" for y in UN]
            print(f"{x:8s}" + "".join(cells))


def library_labels(d: dict) -> dict[str, np.ndarray] | None:
    """Language of each text by py3langid (not a project dependency: None if not installed)."""
    try:
        import py3langid
    except ImportError:
        return None
    fix = {"zh": "zh-Hans"}
    return {k: np.array([fix.get(c, c) for c in (py3langid.classify(t)[0] for t in v["text"])])
            for k, v in d.items()}


def lid_table(d: dict, neut: LanguageNeutralizer, library: dict[str, np.ndarray] | None) -> None:
    """Accuracy of language identification: nearest language mean, and py3langid if present."""
    print("\nlanguage identification accuracy (nearest language mean / py3langid)")
    for key, prompt, name in [("sdg", "passage", "SDG targets as documents"),
                              ("sdg", "query", "SDG targets as queries"),
                              ("xl", "query", "xling practices as queries"),
                              ("kw", "query", "keyword queries (2-4 words)")]:
        guess = np.array(neut.identify(d[key][prompt]))
        lib = f"{(library[key] == d[key]['lang']).mean():.3f}" if library else "n/a"
        print(f"  {name:32s} {(guess == d[key]['lang']).mean():.3f} / {lib}")


def unseen_table(enc, ref, d: dict, methods: dict[str, dict]) -> None:
    """Pairs of reference languages vs pairs with a language the reference lacks; leave-one-out."""
    sdg = d["sdg"]
    langs = sorted(set(sdg["lang"]))
    print("\nunseen languages: mean all@10 over pairs (26-language SDG set, 4,394 texts)")
    print(f"{'method':34s} {'in-ref':>9s} {'unseen':>9s} {'leave-1-out':>11s}")
    for name, kw in methods.items():
        neut = LanguageNeutralizer.fit(enc, ref, **kw) if kw else None
        f = fitted(neut) if neut else bare
        all10 = sdg_pairs(sdg, f, langs)["all10"]
        inref = [v for (x, y), v in all10.items() if x in ref.texts and y in ref.texts]
        unseen = [v for (x, y), v in all10.items() if not (x in ref.texts and y in ref.texts)]
        loo = []
        for left in UN:
            others = [lg for lg in ref.texts if lg != left]
            g = fitted(LanguageNeutralizer.fit(enc, ref, languages=others, **kw)) if kw else bare
            loo += [v for (x, y), v in sdg_pairs(sdg, g, UN)["all10"].items() if left in (x, y)]
        print(f"{name:34s} {np.mean(inref):9.3f} {np.mean(unseen):9.3f} {np.mean(loo):11.3f}",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(REPO / "instance/models/multilingual-e5-small"))
    parser.add_argument("--reference", default=None, help="reference JSONL (default: bundled)")
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep embeddings in")
    parser.add_argument("--quick", action="store_true", help="skip the unseen-language table")
    args = parser.parse_args()
    from search_index.st_encoder import SentenceTransformerEncoder

    enc = CachedEncoder(SentenceTransformerEncoder(args.model, threads=2), args.cache)
    ref = load_reference(args.reference)
    d = load_data(enc, args.quick)
    un = {**d, "sdg": {k: v[np.isin(d["sdg"]["lang"], UN)] for k, v in d["sdg"].items()}}
    fit = {"center": LanguageNeutralizer.fit(enc, ref, method="center")}
    print(f"reference: {len(ref.texts)} languages x {len(ref.texts['en'])} sentences")
    print(f"{'':38s} " + " ".join(f"{h:>9s}" for h in HEAD[1:]))
    print_row("(a) bare", evaluate(un, bare))
    print_row("(b) center, known language", evaluate(un, known_centering(fit["center"])))
    labels = library_labels(un)
    if labels:
        print_row("(c) center, LID py3langid", evaluate(
            with_labels(un, labels), known_centering(fit["center"])))
    print_row("(c) center, LID nearest mean", evaluate(un, fitted(fit["center"])))
    for rank in (5, 10, 20, 30, 40, 60):
        neut = LanguageNeutralizer.fit(enc, ref, method="project", rank=rank)
        print_row(f"(d) project r={rank}", evaluate(un, fitted(neut)))
    neut = LanguageNeutralizer.fit(enc, ref, method="project", rank=20, prompts=("passage",))
    print_row("(d) project r=20, passage means only", evaluate(un, fitted(neut)))
    for rank in (5, 10, 20, 30):
        neut = LanguageNeutralizer.fit(enc, ref, method="project+center", rank=rank)
        print_row(f"(e) project+center r={rank}", evaluate(un, fitted(neut)))
    proj = LanguageNeutralizer.fit(enc, ref, method="project", rank=20)
    print_row("(e) center known + project r=20", evaluate(un, known_centering(fit["center"], proj)))
    print_row("(x) own means of evaluated texts", evaluate(un, own_means))
    default = LanguageNeutralizer.fit(enc, ref)
    print_pairs(un, fitted(default), f"default ({default.method}, r={default.rank})")
    lid_table(un, fit["center"], labels)
    if not args.quick:
        unseen_table(enc, ref, d, {
            "(a) bare": {}, "(c) center (LID)": {"method": "center"},
            **{f"(d) project r={r}": {"method": "project", "rank": r} for r in (20, 40)},
            **{f"(e) project+center r={r}": {"method": "project+center", "rank": r}
               for r in (10, 20, 40)}})


if __name__ == "__main__":
    main()
