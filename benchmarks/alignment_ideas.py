"""Issue 9 experiments: layers that might add the restatements today's aligner misses, each scored with
leave-one-pair-out cross-validation over ArgRewrite and statements-dev (as ``alignment.py`` does).

Each idea adds links on top of the default aligner (or, for the actor/figure adjustment, changes the similarity
it links on); its settings, plus "off", are the choices cross-validation picks among (best statements-dev F1 on
the training pairs while ArgRewrite stays at 0.970 / 0.940). Prints per idea: the cross-validated figures per set
and per statements-dev pair, and each setting's figures on all pairs (not cross-validated: the shape).

- residual: mutual best pairs once each linked sentence's own partners are set aside (a second counterpart
  of an already-linked sentence: scattered one-to-many / many-to-one links);
- free: an optimal one-to-one assignment among sentences linked on neither side;
- claims: sentences split at clause and list boundaries; a claim's best counterpart sentence is linked to the
  claim's sentence (claims as an extra candidate generator, not a replacement);
- actors: who-does-what agreement: the embedding similarity raised by the share of named actors two sentences
  have in common and lowered when both name actors and share none, or their first-named actor differs
  (actors found by ``statediff.positions.actors``; a benchmark may import any layer);
- tokens: token-level similarity (BERTScore F1 over MiniLM's contextual token vectors, each old token matched
  to its most similar new token and back), hubness-corrected like the sentence cosine; every pair not linked
  whose corrected score reaches a floor is linked, in a text at least ``gate`` reorganised. Token vectors come
  from sentence-transformers (torch), computed here for every sentence of both sets (slow: tens of minutes).

    .venv/bin/python benchmarks/alignment_ideas.py [residual] [free] [claims] [actors] [tokens]   # default: all
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from alignment import SETS, Pair, counts, cross_validate, embed_pairs, load, prf, total  # noqa: E402
from statediff.engine.align import DEFAULT_CONFIG, Prepared, finish, groups, link, order_kept, prepare  # noqa: E402
from statediff.engine.embed import default_embedder  # noqa: E402
from statediff.engine.similarity import similarity  # noqa: E402
from statediff.textnorm import normalize  # noqa: E402

Link = tuple[int, int]
Extra = Callable[[int, Prepared, set[Link], tuple[float, ...]], set[Link]]


def matrix(pp: Prepared, weight: float) -> np.ndarray:
    assert pp.sims.dense, "the gold pairs are short: every pair is scored"
    return pp.sims.blend(weight).values.reshape(pp.sims.n, pp.sims.m)


def loose(pp: Prepared, links: set[Link]) -> float:
    return 1.0 - order_kept(sorted(links), pp.sims.n, pp.sims.m)


def residual(pp: Prepared, links: set[Link], weight: float, floor: float, gate: float) -> set[Link]:
    if not links or loose(pp, links) < gate:
        return set()
    s = matrix(pp, weight).copy()
    for i, j in links:
        s[i, j] = -1.0
    best_new, best_old = s.argmax(axis=1), s.argmax(axis=0)
    return {(i, int(j)) for i, j in enumerate(best_new) if best_old[j] == i and s[i, j] >= floor}


def free(pp: Prepared, links: set[Link], weight: float, floor: float, gate: float) -> set[Link]:
    from scipy.optimize import linear_sum_assignment

    if loose(pp, links) < gate:
        return set()
    s = matrix(pp, weight)
    rows = sorted(set(range(s.shape[0])) - {i for i, _ in links})
    cols = sorted(set(range(s.shape[1])) - {j for _, j in links})
    if not rows or not cols:
        return set()
    sub = s[np.ix_(rows, cols)]
    r, c = linear_sum_assignment(-sub)
    return {(rows[a], cols[b]) for a, b in zip(r, c, strict=True) if sub[a, b] >= floor}


_BREAK = re.compile(
    r"\s*;\s+|\s*:\s+|\s+\((?:i|ii|iii|iv|v|vi|[a-h]|\d)\)\s+"
    r"|,\s+(?=(?:including|while|as well as|which|but|building on|so that|in order to|through|by|with a view|notably"
    r"|particularly|in particular|such as|recogni[sz]ing|noting|underscoring|reaffirming|as|where"
    r"|and (?=(?:we|they|it|he|she|our|their|the Leaders|the Committee|will|to|also|call|[a-z]+(?:ed|es))\b))\b)")
MIN_WORDS = 5


def claims(text: str) -> list[str]:
    """A sentence cut at clause and list boundaries; pieces under ``MIN_WORDS`` words join their neighbour."""
    out: list[str] = []
    for part in (p.strip(" ,;:") for p in _BREAK.split(text) if p):
        if not part:
            continue
        if out and (len(part.split()) < MIN_WORDS or len(out[-1].split()) < MIN_WORDS):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


ClaimVecs = list[np.ndarray | None]  # per sentence: its claims' vectors when it has two or more


def claim_vectors(pairs: list[Pair]) -> list[tuple[ClaimVecs, ClaimVecs]]:
    texts: list[str] = []
    spans: list[list[list[tuple[int, int] | None]]] = []
    for pair in pairs:
        sides = []
        for side in ("old", "new"):
            rows: list[tuple[int, int] | None] = []
            for sentence in pair[side]:
                parts = claims(normalize(sentence))
                rows.append((len(texts), len(texts) + len(parts)) if len(parts) > 1 else None)
                if len(parts) > 1:
                    texts += parts
            sides.append(rows)
        spans.append(sides)
    print(f"embedding {len(texts)} claims of {sum(r is not None for s in spans for side in s for r in side)} sentences",
          flush=True)
    vecs = default_embedder(None).encode(texts)
    out = []
    for old_rows, new_rows in spans:
        out.append(([None if r is None else vecs[r[0]:r[1]] for r in old_rows],
                    [None if r is None else vecs[r[0]:r[1]] for r in new_rows]))
    return out


def claim_lift(pp: Prepared, links: set[Link], vecs: tuple[np.ndarray, np.ndarray], cv: tuple[ClaimVecs, ClaimVecs],
               floor: float, gate: float) -> set[Link]:
    """Each claim's best counterpart sentence, at ``floor`` or more, that prefers this sentence (or this claim)."""
    if loose(pp, links) < gate:
        return set()
    old_vecs, new_vecs = vecs
    sent = np.clip(old_vecs @ new_vecs.T, 0.0, 1.0)
    out: set[Link] = set()
    for side, rows, other in ((0, cv[0], new_vecs), (1, cv[1], old_vecs)):
        for x, claim_vecs in enumerate(rows):
            if claim_vecs is None:
                continue
            scores = np.clip(claim_vecs @ other.T, 0.0, 1.0)
            for c in range(scores.shape[0]):
                y = int(scores[c].argmax())
                column = sent[:, y] if side == 0 else sent[y, :]
                if scores[c, y] >= floor and (int(column.argmax()) == x or scores[c, y] >= column.max()):
                    out.add((x, y) if side == 0 else (y, x))
    return out


def actor_matrices(pairs: list[Pair]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per pair: share of actors in common (of those either names), both name actors but none in common, and
    the first-named actors differ."""
    from statediff.positions.actors import defined_acronyms, find_actors, registry_for

    registry = registry_for()
    out = []
    for pair in pairs:
        old = [normalize(t) for t in pair["old"]]
        new = [normalize(t) for t in pair["new"]]
        aliases = defined_acronyms(*old, *new)
        a = [list(find_actors(t, registry, aliases)) for t in old]
        b = [list(find_actors(t, registry, aliases)) for t in new]
        share, disjoint, first = (np.zeros((len(a), len(b)), dtype=np.float32) for _ in range(3))
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                both, either = set(x) & set(y), set(x) | set(y)
                share[i, j] = len(both) / len(either) if either else 0.0
                disjoint[i, j] = float(bool(x and y and not both))
                first[i, j] = float(bool(x and y and x[0] != y[0]))
        out.append((share, disjoint, first))
    return out


def actor_prepared(pair: Pair, vecs: tuple[np.ndarray, np.ndarray], mats: tuple[np.ndarray, np.ndarray, np.ndarray],
                   bonus: float, penalty: float, first: float) -> Prepared:
    old = [normalize(t) for t in pair["old"]]
    new = [normalize(t) for t in pair["new"]]
    sims = similarity(old, new, *vecs)
    share, disjoint, differs = mats
    emb = np.clip(sims.emb + (bonus * share - penalty * disjoint - first * differs).ravel(), 0.0, 1.0)
    emb[sims.emb == 0] = 0.0  # headings vs sentences stay apart
    sims = replace(sims, emb=emb.astype(np.float32))
    sim = sims.blend(DEFAULT_CONFIG.embed_weight)
    found, left = groups(link(old, new, sims, DEFAULT_CONFIG), sim)
    return Prepared(old, new, sims, sim, found, left)


def token_vectors(texts: list[str]) -> list[np.ndarray]:
    """Unit contextual token vectors of each text (without [CLS] and [SEP]), from the packaged MiniLM."""
    from statediff.engine.modelsource import DEFAULT_MODEL, load_sentence_transformer

    model = load_sentence_transformer(DEFAULT_MODEL)
    out = []
    for t in model.encode(texts, output_value="token_embeddings", batch_size=32):
        v = t.numpy()[1:-1] if len(t) > 2 else t.numpy()
        out.append((v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32))
    return out


def token_f1(old: list[np.ndarray], new: list[np.ndarray]) -> np.ndarray:
    """BERTScore F1 of every old x new sentence pair: mean best-match similarity of each side's tokens."""
    a, b = np.concatenate(old), np.concatenate(new)
    ob = np.r_[0, np.cumsum([len(x) for x in old])]
    nb = np.r_[0, np.cumsum([len(x) for x in new])]
    s = a @ b.T
    recall = np.stack([np.add.reduceat(s[:, nb[j]:nb[j + 1]].max(axis=1), ob[:-1]) / np.diff(ob)
                       for j in range(len(new))], axis=1)
    precision = np.stack([np.add.reduceat(s[ob[i]:ob[i + 1], :].max(axis=0), nb[:-1]) / np.diff(nb)
                          for i in range(len(old))], axis=0)
    return np.asarray(2 * recall * precision / np.maximum(recall + precision, 1e-9), dtype=np.float32)


def hubness_corrected(m: np.ndarray, k: int = 4) -> np.ndarray:
    """As ``similarity.local_scaling``: minus the mean of both sentences' ``k`` best scores, plus 0.5."""
    r_old = np.sort(m, axis=1)[:, -min(k, m.shape[1]):].mean(axis=1)
    r_new = np.sort(m, axis=0)[-min(k, m.shape[0]):, :].mean(axis=0)
    return np.asarray(np.clip(m - 0.5 * (r_old[:, None] + r_new[None, :]) + 0.5, 0.0, 1.0), dtype=np.float32)


def token_scores(pairs: list[Pair]) -> list[np.ndarray]:
    texts = [normalize(t) for p in pairs for t in [*p["old"], *p["new"]]]
    print(f"token vectors of {len(texts)} sentences (torch)…", flush=True)
    vecs = token_vectors(texts)
    out, at = [], 0
    for p in pairs:
        n, m = len(p["old"]), len(p["new"])
        out.append(hubness_corrected(token_f1(vecs[at:at + n], vecs[at + n:at + n + m])))
        at += n + m
    return out


def token_layer(pp: Prepared, links: set[Link], scores: np.ndarray, floor: float, gate: float) -> set[Link]:
    if loose(pp, links) < gate:
        return set()
    ok = scores >= floor
    ok &= pp.sims.old_heading[:, None] == pp.sims.new_heading[None, :]
    return {(int(i), int(j)) for i, j in zip(*np.nonzero(ok), strict=True)} - links


def show(label: str, pairs: list[Pair], is_arg: np.ndarray, per: np.ndarray, settings: Sequence[str]) -> None:
    held, chosen = cross_validate(per, is_arg)
    arg, dev = total(held[k] for k in np.flatnonzero(is_arg)), total(held[k] for k in np.flatnonzero(~is_arg))
    cells = " ".join(f"{pairs[k]['name']} {prf(held[k])[2]:.3f}" for k in np.flatnonzero(~is_arg))
    p, r, f = prf(dev[:3])
    print(f"\n{label}: cross-validated statements-dev P/R/F1 {p:.3f} {r:.3f} {f:.4f}; "
          f"ArgRewrite F1 {prf(arg[:3])[2]:.4f} / non-identical {prf(arg[3:])[2]:.4f}\n  {cells}")
    picks: dict[str, int] = {}
    for g in chosen:
        picks[settings[g]] = picks.get(settings[g], 0) + 1
    print("  chosen (folds): " + "; ".join(f"{s} ({n})" for s, n in sorted(picks.items(), key=lambda x: -x[1])))
    print("  each setting on all pairs (not cross-validated): statements-dev F1, ArgRewrite F1 all / non-identical")
    for g, setting in enumerate(settings):
        a, d = total(per[g][k] for k in np.flatnonzero(is_arg)), total(per[g][k] for k in np.flatnonzero(~is_arg))
        print(f"    {setting:<28} {prf(d[:3])[2]:.4f}   {prf(a[:3])[2]:.4f} / {prf(a[3:])[2]:.4f}")


def main() -> None:
    chosen_ideas = sys.argv[1:] or ["residual", "free", "claims", "actors"]
    pairs: list[Pair] = []
    arg: list[bool] = []
    for name in SETS:
        loaded = load(name)
        pairs += loaded
        arg += [name == "argrewrite"] * len(loaded)
    is_arg = np.array(arg)
    vectors = embed_pairs(pairs, None)
    prepared = [prepare(p["old"], p["new"], *v) for p, v in zip(pairs, vectors, strict=True)]
    base = [set(finish(pp).links) for pp in prepared]
    off = [counts(p, b) for p, b in zip(pairs, base, strict=True)]

    def layer(label: str, extra: Extra, grid: list[tuple[float, ...]]) -> None:
        per = [off] + [[counts(p, b | extra(k, prepared[k], b, g)) for k, (p, b) in enumerate(zip(pairs, base, strict=True))]
                       for g in grid]
        show(label, pairs, is_arg, np.array(per, dtype=np.int64), ["off", *(str(g) for g in grid)])

    if "residual" in chosen_ideas:
        layer("residual mutual best (weight, floor, gate)", lambda k, pp, b, g: residual(pp, b, *g),
              [(w, f, gate) for w in (1.0, 0.7) for f in (0.55, 0.6, 0.65, 0.7) for gate in (0.2, 0.5)])
    if "free" in chosen_ideas:
        layer("assignment among free sentences (weight, floor, gate)", lambda k, pp, b, g: free(pp, b, *g),
              [(w, f, gate) for w in (1.0, 0.7, 0.5) for f in (0.4, 0.45, 0.5, 0.55) for gate in (0.35, 0.5, 0.75)])
    if "claims" in chosen_ideas:
        cv = claim_vectors(pairs)
        layer("claim lift (floor, gate)", lambda k, pp, b, g: claim_lift(pp, b, vectors[k], cv[k], *g),
              [(f, gate) for f in (0.6, 0.65, 0.7, 0.75, 0.8) for gate in (0.2, 0.35, 0.5, 0.75)])
    if "tokens" in chosen_ideas:
        tok = token_scores(pairs)
        layer("token-level similarity layer (floor, gate)", lambda k, pp, b, g: token_layer(pp, b, tok[k], *g),
              [(f, gate) for f in (0.5, 0.51, 0.52, 0.53, 0.54, 0.56, 0.58, 0.6) for gate in (0.2, 0.35, 0.5, 0.75)])
    if "actors" in chosen_ideas:
        mats = actor_matrices(pairs)
        grid = [(a, b, c) for a in (0.0, 0.05, 0.1) for b in (0.0, 0.05) for c in (0.0, 0.05) if a or b or c]
        per = [off] + [[counts(p, set(finish(actor_prepared(p, vectors[k], mats[k], *g)).links))
                        for k, p in enumerate(pairs)] for g in grid]
        show("actor agreement in the similarity (bonus, disjoint penalty, first-actor penalty)", pairs, is_arg,
             np.array(per, dtype=np.int64), ["off", *(str(g) for g in grid)])


if __name__ == "__main__":
    main()
