"""Marks on one change: figures, stance, tilt, negation, actors, and whether it is substantive.

``marks(old, new)`` reads two versions of one point (either may be empty: a new or a dropped point) and says what
changed in substance, with the words that decided it. Lexical only (no model), so it is cheap enough to run on
every change of every report.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from statediff.errors import StatediffError
from statediff.positions.actors import actor_changes, registry_for
from statediff.positions.figures import Figure, changed_figures, only_calendar
from statediff.positions.lexicons import STANCE_FAMILIES, TILT_FAMILIES, Lexicon, lexicon_for

Stance = Literal["stronger", "weaker", "same", "shifted"]
Tilt = Literal["hawkish", "dovish", "neutral"]
MONETARY = "monetary-policy"

STANCES: tuple[Stance, ...] = ("stronger", "weaker", "same", "shifted")
FEATURES = ("bias", "overlap", "overlap_squared", "strength_gained", "strength_lost", "hedging_change", "tilt_size",
            "monetary", "monetary_overlap", "length_ratio", "actors_changed", "figures_changed")
"""What the stance model reads; its weights are fitted by ``benchmarks/positions.py --fit`` (cross-validated)."""


@dataclass(frozen=True)
class Marks:
    """What changed in substance between two versions of one point."""

    figures: tuple[Figure, ...]
    """Figures that changed (old and new), appeared (old None) or disappeared (new None)."""
    stance: Stance
    """Strength of the position's language: stronger, weaker, same, or shifted (the claim itself changed)."""
    stance_words: tuple[str, ...]
    """The words that decided the stance: ``+word`` gained, ``-word`` lost."""
    tilt: Tilt | None
    """Monetary-policy statements only: how the change moves the message as markets read it."""
    tilt_words: tuple[str, ...]
    """The words (and figures) that decided the tilt."""
    negation: bool
    """A claim flipped between affirmed and negated."""
    actors_added: tuple[str, ...]
    """Actors named in the new text but not the old."""
    actors_removed: tuple[str, ...]
    """Actors named in the old text but not the new."""
    substantive: bool
    """False when the change is editorial (same meaning: wording, style, order)."""


_STOP = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is",
        "are", "was", "were", "be", "been", "being", "has", "have", "had", "it", "its", "this", "that", "these",
        "those", "their", "our", "we", "they", "he", "she", "his", "her", "which", "who", "whom", "whose", "also",
        "such", "than", "then", "so", "not", "no", "nor", "into", "over", "under", "about", "between", "through",
        "during", "including", "while", "both", "each", "other", "more", "most", "all", "any", "some", "there",
        "here", "well", "per", "upon", "after", "before", "since", "until", "within", "without", "across", "toward",
        "towards"
    ]
)
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_NEGATORS = re.compile(r"(?<![\w-])(?:not|no|never|neither|nor|cannot|n[’']t)(?![\w-])", re.IGNORECASE)
_TARGET = re.compile(r"(?:target range|target for the federal funds rate|federal funds rate)", re.IGNORECASE)
_RATE_NUMBER = re.compile(r"(\d+)(?:[-‐‑](\d)/(\d))?(?!/)|(\d)/(\d)")
_RATE_TEXT = r"(?:\d+(?:[-‐‑]\d/\d)?|\d/\d)"
_PERCENT = re.compile(rf"{_RATE_TEXT}(?: to {_RATE_TEXT})? percent(?!age)")


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)][:7]
    return w[:7]


@lru_cache(maxsize=4096)
def content_words(text: str) -> Counter[str]:
    """Stems of the words that carry content (function words dropped). Cached: do not modify the result."""
    return Counter(_stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP)


def overlap(old: str, new: str) -> float:
    """Share of content words the two texts have in common (Dice coefficient over stems), 0..1."""
    a, b = content_words(old), content_words(new)
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def _family_delta(lexicon: Lexicon, old: str, new: str, families: tuple[str, ...]) -> Counter[tuple[str, int, str]]:
    """Per (family, weight, phrase): occurrences in new minus occurrences in old."""
    before = Counter((e.family, e.weight, e.phrase) for e in lexicon.find(old, families))
    after = Counter((e.family, e.weight, e.phrase) for e in lexicon.find(new, families))
    delta: Counter[tuple[str, int, str]] = Counter()
    for key in before | after:
        delta[key] = after[key] - before[key]
    return Counter({k: v for k, v in delta.items() if v})


def _signed(delta: Counter[tuple[str, int, str]], weight_sign: int = 1) -> tuple[int, tuple[str, ...]]:
    score = 0
    words = []
    for (_family, weight, phrase), count in sorted(delta.items(), key=lambda kv: (-abs(kv[0][1] * kv[1]), kv[0][2])):
        score += weight * count * weight_sign
        words.append(f"{'+' if count > 0 else '-'}{phrase}")
    return score, tuple(words)


def _rate(text: str) -> float | None:
    """The top of the policy rate (range) the text sets, if it names one: "to 1/4 to 1/2 percent" -> 0.5."""
    m = _TARGET.search(text)
    if not m:
        return None
    found = _PERCENT.search(text, m.end(), m.end() + 120)
    if not found:
        return None
    values = [_number(n) for n in _RATE_NUMBER.finditer(found.group(0))]
    return max(values) if values else None


def _number(n: re.Match[str]) -> float:
    if n.group(4):
        return int(n.group(4)) / int(n.group(5))
    return int(n.group(1)) + (int(n.group(2)) / int(n.group(3)) if n.group(2) else 0)


def tilt_of(lexicon: Lexicon, old: str, new: str) -> tuple[Tilt, tuple[str, ...], int]:
    """Hawkish, dovish or neutral, the deciding words, and the signed score (+ hawkish)."""
    delta = _family_delta(lexicon, old, new, TILT_FAMILIES)
    score = 0
    words = []
    for (family, weight, phrase), count in sorted(delta.items(), key=lambda kv: (-abs(kv[0][1] * kv[1]), kv[0][2])):
        score += weight * count * (1 if family == "hawkish" else -1)
        words.append(f"{'+' if count > 0 else '-'}{phrase} ({family})")
    before, after = _rate(old), _rate(new)
    if before is not None and after is not None and before != after:
        score += 4 if after > before else -4  # the rate itself moved: that outweighs any wording
        words.insert(0, f"rate {'up' if after > before else 'down'}")
    if score == 0:
        # The same reading of the economy, said more (or less) firmly: "suggest … is moderating" -> "has moderated"
        # leans further the way the sentence already leans.
        firmer = sum(w * n for (f, w, _p), n in _family_delta(lexicon, old, new, _FIRMNESS).items())
        leaning = sum(e.weight * (1 if e.family == "hawkish" else -1) for e in lexicon.find(new, TILT_FAMILIES))
        if firmer and leaning:
            score = 1 if (firmer > 0) == (leaning > 0) else -1
            words.append(f"{'firmer' if firmer > 0 else 'softer'} on a {'hawkish' if leaning > 0 else 'dovish'} reading")
    return ("hawkish" if score > 0 else "dovish" if score < 0 else "neutral"), tuple(words), score


_FIRMNESS = ("hedging", "certainty", "intensity")


def negation_flipped(old: str, new: str) -> bool:
    """One side negates the claim the other affirms: the same words, with a negator on one side only."""
    if not old.strip() or not new.strip():
        return False
    neg_old = len(_NEGATORS.findall(old)) % 2
    neg_new = len(_NEGATORS.findall(new)) % 2
    if neg_old == neg_new:
        return False
    strip_old = _NEGATORS.sub(" ", old)
    strip_new = _NEGATORS.sub(" ", new)
    return overlap(strip_old, strip_new) >= 0.6


def marks(old: str, new: str, *, kind: str | None = None, lexicon: Lexicon | None = None,
          actor_files: tuple[str, ...] = (), aliases: dict[str, str] | None = None) -> Marks:
    """The marks of the change from ``old`` to ``new`` (either may be empty).

    ``kind`` is the statement's kind from its front matter; ``"monetary-policy"`` adds the tilt. ``lexicon`` and
    ``actor_files`` carry a series' own additions (``positions.digest.PositionsFiles``); by default the shipped
    ones. ``aliases``: acronyms defined elsewhere in the statements ("Trilateral Secretariat (TS)").
    """
    lex = lexicon or lexicon_for()
    figures = changed_figures(old, new)
    added, removed = actor_changes(old, new, registry_for(actor_files), aliases)
    negation = negation_flipped(old, new)
    monetary = kind == MONETARY
    tilt: Tilt | None = None
    tilt_words: tuple[str, ...] = ()
    tilt_score = 0
    if monetary:
        tilt, tilt_words, tilt_score = tilt_of(lex, old, new)
    stance_delta = _family_delta(lex, old, new, STANCE_FAMILIES)
    _strength, stance_words = _signed(stance_delta)
    features = stance_features(old, new, stance_delta, tilt_score, monetary, len(added) + len(removed), figures)
    stance = rule_stance(old, new, negation, stance_delta) or agree(decide_stance(features, stance_weights()), stance_delta,
                                                                       features[FEATURES.index("overlap")])
    substantive = not (
        stance == "same" and not negation and not added and not removed and (not figures or only_calendar(figures))
    )
    return Marks(figures, stance, stance_words if stance in ("stronger", "weaker") else (), tilt, tilt_words, negation,
                 added, removed, substantive)


def stance_features(old: str, new: str, delta: Counter[tuple[str, int, str]], tilt_score: int, monetary: bool,
                    actors_changed: int, figures: tuple[Figure, ...]) -> list[float]:
    """The numbers the stance model weighs, in the order of ``FEATURES``."""
    gained = sum(w * n for (_f, w, _p), n in delta.items() if w * n > 0)
    lost = -sum(w * n for (_f, w, _p), n in delta.items() if w * n < 0)
    hedging = sum(w * n for (f, w, _p), n in delta.items() if f == "hedging")
    shared = overlap(old, new)
    old_words, new_words = len(_WORD.findall(old)) or 1, len(_WORD.findall(new)) or 1
    return [1.0, shared, shared * shared, min(gained, 8) / 4, min(lost, 8) / 4, max(-3, min(3, hedging)) / 3,
            min(abs(tilt_score), 6) / 3, float(monetary), shared * monetary, max(-2.0, min(2.0, _log2(new_words / old_words))),
            min(actors_changed, 4) / 2, min(len(figures), 4) / 2]


def _log2(x: float) -> float:
    import math

    return math.log2(x)


@lru_cache(maxsize=1)
def stance_weights() -> dict[str, list[float]]:
    """The fitted weights per stance (shipped data file ``stance_model.json``)."""
    data = json.loads(resources.files("statediff.positions").joinpath("data").joinpath("stance_model.json").read_text("utf-8"))
    weights: dict[str, list[float]] = data["weights"]
    if tuple(data["features"]) != FEATURES or set(weights) != set(STANCES):
        raise StatediffError("stance_model.json does not match this statediff; reinstall statediff")
    return weights


def decide_stance(features: list[float], weights: dict[str, list[float]]) -> Stance:
    """The stance with the highest score under ``weights``."""
    return max(STANCES, key=lambda s: sum(w * x for w, x in zip(weights[s], features, strict=True)))


CLEAR_OVERLAP = 0.8
"""When at least this share of the content words is kept, a change of strength in one direction decides the stance
by rule (the point is the same, only its language moved); the fitted model decides the rest."""


def agree(stance: Stance, delta: Counter[tuple[str, int, str]], shared: float) -> Stance:
    """The model's stance, unless it contradicts the words: "stronger" while the language only softened is "weaker"
    (and the reverse), and "same" for a point that kept half its words while its language moved is not the same.
    The deciding words shown must never say the opposite of the verdict."""
    net = sum(w * n for (_f, w, _p), n in delta.items())
    if stance == "same" and net and shared >= 0.5:
        return "stronger" if net > 0 else "weaker"
    if stance == "stronger" and net < 0:
        return "weaker"
    if stance == "weaker" and net > 0:
        return "stronger"
    return stance


def rule_stance(old: str, new: str, negation: bool, delta: Counter[tuple[str, int, str]],
                clear_overlap: float = CLEAR_OVERLAP) -> Stance | None:
    """The stance when a rule settles it: a new or dropped point or a negation is ``shifted``; the same point with
    its language moved one way is ``stronger``/``weaker``. None: leave it to the model."""
    if not old.strip() or not new.strip() or negation:
        return "shifted"
    gained = sum(w * n for (_f, w, _p), n in delta.items() if w * n > 0)
    lost = -sum(w * n for (_f, w, _p), n in delta.items() if w * n < 0)
    if overlap(old, new) >= clear_overlap and gained != lost and (not gained or not lost or abs(gained - lost) >= 2):
        return "stronger" if gained > lost else "weaker"
    return None
