"""The Positions digest every report opens with: per topic, what is new, dropped, stronger or weaker, which
figures changed and which actors appeared or vanished, each item pointing at its change. Editorial changes are
counted, not listed.

``analyse(comparison)`` runs marks on every change and finds the topics; renderers read only its result.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import field
from pathlib import Path
from typing import Any, Literal

from statediff.errors import StatediffError
from statediff.limits import POSITIONS_FILES, SERIES_POSITIONS
from statediff.model import Comparison, Op
from statediff.positions import store
from statediff.positions.actors import Mention, defined_acronyms, find_actors, missing, registry_for
from statediff.positions.lexicons import actor_lines, lexicon_for
from statediff.positions.marking import MONETARY, Marks, content_words, marks, shared_words
from statediff.positions.patterns import regex
from statediff.positions.records import dataclass
from statediff.positions.topics import Topic, TopicRule, find_topics, parse_topics, parties
from statediff.textnorm import normal_kind

ItemKind = Literal["new", "dropped", "stronger", "weaker", "changed", "negation", "figure", "actor_added", "actor_removed"]
FILE_NAMES = POSITIONS_FILES


@dataclass(frozen=True)
class Edit:
    """One place where a point's wording changed in substance, with a few words of context before it."""

    old: str
    """The old wording ("denuclearization of the Democratic People's Republic of Korea"); empty: only added."""
    new: str
    """The new wording ("denuclearization of the Korean Peninsula"); empty: only dropped."""
    context: int = 0
    """How many leading characters of ``old`` and ``new`` are kept words shown for context ("denuclearization of the ")."""


@dataclass(frozen=True)
class Item:
    """One line of a topic's digest."""

    kind: ItemKind
    """What it says: a new or dropped point, a stronger/weaker/changed one, a negation, a figure, an actor."""
    change: int
    """Index of the change in ``Comparison.changes`` it points at."""
    text: str
    """The sentence (new side; old side for dropped), the figure as ``old → new``, or the actor's name."""
    words: tuple[str, ...] = ()
    """The words that decided a stronger/weaker stance, or a tilt."""
    tilt: str | None = None
    """Monetary policy: hawkish/dovish for this change."""
    edits: tuple[Edit, ...] = ()
    """For a reworded point: what its wording changed from and to, in substance (editorial touches left out)."""
    weight: int = 0
    """How much the point's substance moved (actors named or gone, figures, edits shown): the short digests quote
    the heaviest."""


@dataclass(frozen=True)
class TopicDigest:
    """What changed in one topic."""

    topic: Topic
    items: tuple[Item, ...]
    editorial: int
    """Changes in the topic that are editorial only (counted, not listed)."""


@dataclass(frozen=True)
class Positions:
    """Marks per change, the topics, and the digest."""

    marks: tuple[Marks | None, ...]
    """Per change in ``Comparison.changes``; None for unchanged ones."""
    topics: tuple[Topic, ...]
    topic_of: tuple[int, ...]
    """Per change: the index of its topic."""
    digest: tuple[TopicDigest, ...]
    """Topics with something to say, in report order."""
    kind: str | None = None
    """The statements' kind (front matter); ``monetary-policy`` adds tilts."""
    tilt: dict[str, int] = field(default_factory=dict)
    """Monetary policy: how many substantive changes lean hawkish, dovish, neutral."""


@dataclass(frozen=True)
class PositionsFiles:
    """A series' own additions: each a tuple of file paths (the shipped data always comes first)."""

    lexicon: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    def check(self) -> tuple[TopicRule, ...]:
        """Parse every file now (a malformed one is a StatediffError naming file and line); the topic rules."""
        if not (self.lexicon or self.actors or self.topics):
            return ()  # the shipped data alone: parsed when marks need it (a cached result never does)
        lexicon_for(self.lexicon)  # cached by path and modification time: as the files are now
        actor_lines(self.actors)
        return tuple(rule for path in self.topics for rule in parse_topics(path))


def files_in(folder: str | Path | None, *, only: str | None = None, named: bool = False) -> PositionsFiles:
    """The lexicon.txt, actors.txt and topics.txt present in ``folder`` (none of them is required; ``only``: just
    that one). A link is refused: the files come with statements (a pull request's among them), and a parse error
    quotes the line it stopped at, so a link to a private file would print that file's first line. ``named``: the
    user named the folder (``compare --positions``), so it must hold one of them and no other file (a misspelt
    "lexicons.txt" would be ignored without a word), as ``check`` asks of a series' folder."""
    if folder is None:
        return PositionsFiles()
    base = Path(folder)
    if not base.is_dir():
        raise StatediffError(f"{folder}: is not a folder; give the folder holding lexicon.txt, actors.txt or topics.txt")
    if named:
        names = sorted(entry.name for entry in base.iterdir() if not entry.name.startswith("."))
        stray = [name for name in names if name not in FILE_NAMES]
        if stray:
            raise StatediffError(f"{base / stray[0]}: not a file statediff reads; a positions folder holds "
                                 f"{', '.join(FILE_NAMES)} (rename or move it)")
        if not names:
            raise StatediffError(f"{folder}: holds none of {', '.join(FILE_NAMES)}; put your own data files there")
        odd = [name for name in names if not (base / name).is_symlink() and not (base / name).is_file()]
        if odd:  # a folder or FIFO named topics.txt would be skipped as if absent
            raise StatediffError(f"{base / odd[0]}: is not a plain file; a positions data file must be one")
    found: list[str | None] = []
    for name in FILE_NAMES:
        path = base / name
        if only not in (None, name):
            found.append(None)
        elif path.is_symlink():
            raise StatediffError(f"{path}: is a symbolic link; a positions data file must be a plain file")
        else:
            found.append(str(path) if path.is_file() else None)
    return PositionsFiles(*(tuple([p]) if p else () for p in found))


SERIES_FOLDER = SERIES_POSITIONS
"""The folder inside a series (``statements/<series>/positions/``) that holds its own data files."""


def series_files(series_dir: Path) -> PositionsFiles:
    """A series' own data files (none when it has no ``positions/`` folder)."""
    folder = series_dir / SERIES_FOLDER
    return files_in(folder) if folder.is_dir() and not folder.is_symlink() else PositionsFiles()


# Compiled where used (re keeps it): only monetary-policy reports look for votes.
_VOTES = r"\s*(?:Voting (?:for|against)\b|[A-Z][\w.’' -]{0,60}\b(?:voted|dissented)\b)"


def _records_votes(c: Comparison, new: tuple[int, ...]) -> bool:
    """A sentence that records the vote ("Voting against this action was James Bullard, who preferred to raise …"):
    a member's preference, not the statement's own lean, so it stays out of the statement's tilt tally (its own mark
    still says which way the dissent leaned)."""
    return any(re.match(_VOTES, c.new_sentences[j].text) for j in new)


def kind_of(c: Comparison) -> str | None:
    """The kind from the front matter (the new statement's, else the old one's), as ``normal_kind`` spells it."""
    for doc in (c.new, c.old):
        value = doc.meta.get("kind")
        if isinstance(value, str) and value.strip():
            return normal_kind(value)
    return None


# A policy rate named: every FOMC statement in the corpus (2000-2026) says one of these, no G7, Quad or trilateral
# statement does; "monetary policy" alone is not enough (G7 communiqués speak of central banks' monetary policy).
# Searched in case-folded text, not with IGNORECASE: a case-insensitive search of a statement took 1.6 ms, this 0.2.
_POLICY_RATE = regex(r"federal funds rate|policy rate|target range for the|bank rate|deposit facility rate"
                     r"|stance of monetary policy")


def inferred_kind(c: Comparison) -> str | None:
    """``monetary-policy`` when every non-empty side names a policy rate, so an FOMC pair gets its tilt without
    front matter or ``--kind``; else None."""
    bodies = [" ".join(s.text for s in side) for side in (c.old_sentences, c.new_sentences) if side]
    return MONETARY if bodies and all(names_policy_rate(body) for body in bodies) else None


def names_policy_rate(text: str) -> bool:
    """Whether ``text`` names a policy rate (see ``_POLICY_RATE``): a monetary-policy statement."""
    return _POLICY_RATE.search(text.casefold()) is not None


def analyse(c: Comparison, *, kind: str | None = None, files: PositionsFiles = PositionsFiles()) -> Positions:
    """Marks on every change, topics, and the per-topic digest. ``kind``: the statements' kind, else their front
    matter's, else what their text shows (see ``inferred_kind``).

    Stored on disk (``store``) and read back when the same comparison is analysed again with the same kind, series
    files and code; the series' files are parsed every time, so a malformed one is always its error."""
    files.check()
    kind = normal_kind(kind)
    row = store.key(c, kind, files.lexicon, files.actors, files.topics)
    if row is not None:
        raw = store.load(row)
        found = store.decode(raw, Positions, _size_limit(c)) if raw is not None else None
        if found is not None and _fits(found, c, kind):
            return found
    result = _analyse(c, kind, files)
    if row is not None:
        store.save(row, result)
    return result


def _size_limit(c: Comparison) -> int:
    """The longest stored result accepted for ``c``: results quote its sentences, each a few times at most."""
    chars = sum(len(s.text) for s in c.old_sentences) + sum(len(s.text) for s in c.new_sentences)
    return 65_536 + 1_024 * len(c.changes) + 16 * chars


_UNMARKED = ("unchanged", "restated", "folded")


def _fits(p: Positions, c: Comparison, kind: str | None) -> bool:
    """Whether a stored result (well-typed: see ``store.decode``) can be ``c``'s: one mark and topic per change,
    marks exactly where analyse makes them, every index within its comparison, each topic's changes its own, tilts
    and counts as analyse makes them, each point quoting its own change's sentences."""
    n, topics = len(c.changes), p.topics
    if len(p.marks) != n or len(p.topic_of) != n or p.kind != (kind or kind_of(c) or inferred_kind(c)):
        return False
    if any((m is None) != (ch.kind in _UNMARKED) for m, ch in zip(p.marks, c.changes, strict=True)):
        return False
    if not all(0 <= t < len(topics) for t in p.topic_of):
        return False
    if not all(0 <= k < n and p.topic_of[k] == t for t, topic in enumerate(topics) for k in topic.changes):
        return False
    if p.tilt and (p.kind != MONETARY or not all(k in ("hawkish", "dovish", "neutral") and v > 0 for k, v in p.tilt.items())):
        return False
    for d in p.digest:
        if d.topic not in topics or d.editorial < 0:
            return False
        for i in d.items:
            if not 0 <= i.change < n or i.tilt not in (None, "hawkish", "dovish") or i.weight < 0:
                return False
            # A point is quoted as its change has it: a stored row cannot put words in a statement's mouth there.
            if i.kind in _QUOTED and i.text != _side_text(c, i.change, old=i.kind == "dropped"):
                return False
            if any(not 0 <= e.context <= max(len(e.old), len(e.new)) for e in i.edits):
                return False
    return True


_QUOTED = ("new", "dropped", "stronger", "weaker", "negation", "changed")


def _side_text(c: Comparison, k: int, *, old: bool) -> str:
    ch = c.changes[k]
    return " ".join(c.old_sentences[i].text for i in ch.old) if old else " ".join(c.new_sentences[j].text for j in ch.new)


def _analyse(c: Comparison, kind: str | None, files: PositionsFiles) -> Positions:
    rules = files.check()
    kind = kind or kind_of(c) or inferred_kind(c)
    lexicon = lexicon_for(files.lexicon)
    # Acronyms defined anywhere in either statement, once: every later look-up of a sentence shares them (and a cache).
    aliases = defined_acronyms(*(s.text for s in (*c.old_sentences, *c.new_sentences)))
    all_marks: list[Marks | None] = []
    for ch in c.changes:
        # A restated or folded sentence has one side only (its counterpart is another change's): not a change
        # of position by itself, and marking it against an empty side would read as everything new or gone.
        if ch.kind in ("unchanged", "restated", "folded"):
            all_marks.append(None)
            continue
        old = " ".join(c.old_sentences[i].text for i in ch.old)
        new = " ".join(c.new_sentences[j].text for j in ch.new)
        all_marks.append(marks(old, new, kind=kind, lexicon=lexicon, actor_files=files.actors, aliases=aliases))
    registry = registry_for(files.actors)
    topics = find_topics(c, rules, registry, aliases)
    own = parties(c, registry, aliases)
    party_names = frozenset(name for name, key in registry.keys.items() if key in own)
    topic_of = [0] * len(c.changes)
    for n, topic in enumerate(topics):
        for k in topic.changes:
            topic_of[k] = n
    digest = tuple(d for t in topics if (d := _digest(c, t, all_marks, files, aliases, own, party_names)).items or d.editorial)
    tilt: dict[str, int] = {}
    if kind == MONETARY:
        for ch, m in zip(c.changes, all_marks, strict=True):
            if m is not None and m.substantive and m.tilt and ch.kind != "removed" and not _records_votes(c, ch.new):
                tilt[m.tilt] = tilt.get(m.tilt, 0) + 1
    return Positions(tuple(all_marks), topics, tuple(topic_of), digest, kind, tilt)


def _digest(c: Comparison, topic: Topic, all_marks: list[Marks | None], files: PositionsFiles,
            aliases: dict[str, str], own: frozenset[str], party_names: frozenset[str]) -> TopicDigest:
    items: list[Item] = []
    figures: list[Item] = []
    editorial = 0
    for k in topic.changes:
        ch, m = c.changes[k], all_marks[k]
        if m is None:
            continue
        new_text = " ".join(c.new_sentences[j].text for j in ch.new)
        old_text = " ".join(c.old_sentences[i].text for i in ch.old)
        if not m.substantive:
            editorial += 1
            continue
        if ch.kind == "added":
            items.append(Item("new", k, new_text, m.tilt_words, _lean(m)))
        elif ch.kind == "removed":
            items.append(Item("dropped", k, old_text))  # a dropped line's tilt would read backwards
        else:
            shown = edits(ch.ops, ch.rewritten, decisive=_decisive(m))
            if m.negation:
                items.append(Item("negation", k, new_text, (), _lean(m), shown))
            elif m.stance in ("stronger", "weaker"):
                items.append(Item(m.stance, k, new_text, m.stance_words, _lean(m), shown))
            else:
                items.append(Item("changed", k, new_text, m.tilt_words, _lean(m), shown))
        if ch.kind not in ("added", "removed"):
            figures += [Item("figure", k, f"{f.old or '—'} → {f.new or '—'}") for f in m.figures]
    order = {"new": 0, "dropped": 1, "stronger": 2, "weaker": 3, "negation": 4, "changed": 5}
    # Within a kind, the points whose substance moved most first: actors gone or named, figures, shown edits.
    # Made anew with every field rather than by dataclasses.replace (which reads the fields and builds a dict per
    # item: a third of this function's time).
    items = [Item(i.kind, i.change, i.text, i.words, i.tilt, i.edits, _weight(all_marks[i.change], i, party_names))
             for i in items]
    items.sort(key=lambda i: (order[i.kind], -i.weight, topic.changes.index(i.change)))
    return TopicDigest(topic, tuple(items + figures + _actor_items(c, topic, files, aliases, own)), editorial)


EDIT_WORDS = 14
"""Each side of an edit is cut to this many words."""
_CONTEXT_WORDS = 3
_CLAUSE_END = regex(r"[.;:!?—–]\s*$|[.;:!?—–,]\s")


def edits(ops: tuple[Op, ...], rewritten: bool = False, limit: int = 3, decisive: tuple[str, ...] = ()) -> tuple[Edit, ...]:
    """Where the wording of one reworded point changed in substance: each run of deleted and inserted words, with up
    to three kept words before it ("denuclearization of the …"). Runs that change no content word ("Furthermore,
    we" -> "We", a dropped "relevant") are left out; a point rewritten whole has none (show the sentence). When
    there are more than ``limit``, the most telling are kept (see ``edit_rank``), in text order."""
    if rewritten:
        return ()
    found: list[Edit] = []
    k = 0
    while k < len(ops):
        if ops[k].tag == "=":
            k += 1
            continue
        before = ops[k - 1].text if k and ops[k - 1].tag == "=" else ""
        old: list[str] = []
        new: list[str] = []
        while k < len(ops) and ops[k].tag != "=":
            (old if ops[k].tag == "-" else new).append(ops[k].text)
            k += 1
        old_text, new_text = "".join(old).strip(), "".join(new).strip()
        # One word only dropped or added rarely counts, unless it is the word that decided the mark ("strongly").
        if not _substantive_edit(old_text, new_text) and not _holds(f"{old_text} {new_text}", decisive):
            continue
        context = _context(before)
        old_shown, new_shown = _join(context, old_text) if old_text else "", _join(context, new_text) if new_text else ""
        found.append(Edit(_cut(old_shown), _cut(new_shown), len(context.rstrip())))
    if len(found) <= limit:
        return tuple(found)
    best = sorted(range(len(found)), key=lambda n: -edit_rank(found[n], decisive))[:limit]  # stable: earlier first
    return tuple(found[n] for n in sorted(best))


def _decisive(m: Marks) -> tuple[str, ...]:
    return decisive_words((*m.stance_words, *m.tilt_words))


def decisive_words(words: Sequence[str]) -> tuple[str, ...]:
    """The first word of each phrase that decided a stance or tilt ("+lower the target range (dovish)" -> "lower")."""
    out = []
    for said in words:
        phrase = _FAMILY.sub("", said.lstrip("+-")).split()
        if phrase and phrase[0] != "rate":  # "rate up": the figures' summary, found by their digits
            out.append(phrase[0].rstrip("*").lower())
    return tuple(dict.fromkeys(out))


_FAMILY = regex(r"\s*\([^()]*\)\s*$")


def edit_rank(e: Edit, decisive: tuple[str, ...]) -> int:
    """How telling an edit is, from its changed words (not the context shown before them): one holding a word that
    decided the stance or tilt most, more so when it replaces a wording ("maintain" -> "lower") than when it only
    adds or drops one; then one changing a figure; then by the content words it changes (at most three)."""
    old, new = e.old[e.context :], e.new[e.context :]
    score = 8 if _holds(f"{old} {new}", decisive) else 0
    score += 2 if score and old and new else 0
    score += 4 if any(ch.isdigit() for ch in old + new) else 0
    return score + min(_words_changed(content_words(old), content_words(new)), 3)


_NOT_WORD = regex(r"\W")


def _holds(text: str, decisive: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of the words that decided a stance or tilt (at a word's start: "strong" in "strongly")."""
    text = text.lower()
    return any(starts_word(text, w) for w in decisive)


def starts_word(text: str, word: str) -> bool:
    r"""Whether ``word`` occurs in ``text`` where no word character or hyphen precedes it: ``re.search(rf"(?<![\w-])
    {re.escape(word)}", text)`` without compiling a pattern per word (``\w`` is ``str.isalnum`` or ``_``)."""
    at = text.find(word)
    while at >= 0:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_-"):
            return True
        at = text.find(word, at + 1)
    return False


def _substantive_edit(old: str, new: str) -> bool:
    if _NOT_WORD.sub("", old).lower() == _NOT_WORD.sub("", new).lower():
        return False  # "Five Point" -> "Five-Point"
    before = content_words(old)
    after = content_words(new)
    changed = _words_changed(before, after)
    # A swap of one content word for another ("keep" -> "raise") counts; one word only dropped or added rarely does.
    return changed >= 2 or (changed == 1 and bool(before) and bool(after)) or any(ch.isdigit() for ch in old + new)


def _words_changed(before: Counter[str], after: Counter[str]) -> int:
    """``sum(((before - after) + (after - before)).values())`` (every count is positive: what one side has more of,
    summed), without building the three Counters."""
    return sum(before.values()) + sum(after.values()) - 2 * shared_words(before, after)


def _join(context: str, text: str) -> str:
    return f"{context}{text}" if not context or text[:1].isalnum() or text[:1] in "“‘\"'($" else f"{context.rstrip()}{text}"


def _context(before: str) -> str:
    """The last few kept words before an edit, not reaching back past a clause boundary."""
    cut = [m.end() for m in _CLAUSE_END.finditer(before)]
    tail = before[cut[-1]:] if cut and cut[-1] < len(before) else ("" if cut else before)
    words = tail.split()[-_CONTEXT_WORDS:]
    return " ".join(words) + " " if words else ""


def _cut(text: str) -> str:
    words = text.split()
    return " ".join(words[:EDIT_WORDS]) + (" …" if len(words) > EDIT_WORDS else "")


def _weight(m: Marks | None, item: Item, party_names: frozenset[str]) -> int:
    if m is None:
        return 0
    # An actor named or gone is the surest sign the point moved ("the DPRK" -> "the Korean Peninsula"); a shown edit
    # reads better than a whole rewritten sentence; dates and counts weigh least.
    actors = sum(0 if name in party_names else 1 if _PERSON_TITLE.match(name) else 3
                 for name in (*m.actors_added, *m.actors_removed))
    if item.kind in ("new", "dropped"):
        return actors  # a new point that names someone ("the Trilateral Secretariat") tells more than one that does not
    stance = 1 if item.kind in ("stronger", "weaker", "negation") else 0
    actors += sum(1 for name in m.actors_removed if name not in party_names and not _PERSON_TITLE.match(name))
    return actors + min(len(m.figures), 2) + stance + (2 if item.edits else 0)


_PERSON_TITLE = regex(r"(?:Vice |Deputy )?(?:President|Prime Minister|Minister|Secretary|Chancellor|Chair|King|Queen"
                      r"|Premier|Governor|Ambassador|Emperor|Director)\b")
"""A leader named by title: a new name for the same office is rarely the news."""


def _lean(m: Marks) -> str | None:
    return m.tilt if m.tilt in ("hawkish", "dovish") else None


def _actor_items(c: Comparison, topic: Topic, files: PositionsFiles, aliases: dict[str, str],
                 own: frozenset[str]) -> list[Item]:
    """Actors named in the topic's new sentences and none of its old ones, and the reverse (one item per actor); the
    parties' own names (``own``: keys) are left out, as a topic's sentences name them or not by style."""
    registry = registry_for(files.actors)
    before: dict[str, Mention] = {}
    after: dict[str, Mention] = {}
    first: dict[tuple[bool, str], int] = {}  # (new side?, key) -> the change that first names it
    for k in topic.changes:
        for is_new, side, texts in ((False, before, [c.old_sentences[i].text for i in c.changes[k].old]),
                                    (True, after, [c.new_sentences[j].text for j in c.changes[k].new])):
            for text in texts:
                for key, mention in find_actors(text, registry, aliases).items():
                    side.setdefault(key, mention)
                    first.setdefault((is_new, key), k)
    out = [Item("actor_added", first[True, m.key], m.name) for m in missing(after, before) if m.key not in own]
    out += [Item("actor_removed", first[False, m.key], m.name) for m in missing(before, after) if m.key not in own]
    return out


def change_marks(previous: str, text: str, kind: str | None = None, files: PositionsFiles = PositionsFiles()) -> tuple[str, ...]:
    """Short position marks of one rewording (``previous`` -> ``text``), for a sentence's history: the stance with
    the words that decided it, the tilt (monetary policy), figures, a flipped negation, actors named or gone; just
    ``editorial`` when the meaning stayed. None for a first wording (``previous`` empty): nothing to compare."""
    if not previous.strip() or not text.strip():
        return ()
    m = marks(previous, text, kind=kind, lexicon=lexicon_for(files.lexicon), actor_files=files.actors)
    if not m.substantive:
        return ("editorial",)
    out = []
    if m.stance in ("stronger", "weaker"):
        out.append(f"{m.stance} ({', '.join(m.stance_words[:3])})" if m.stance_words else m.stance)
    if m.tilt in ("hawkish", "dovish"):
        out.append(m.tilt)
    if m.negation:
        out.append("negation flipped")
    out += [f"{f.old or '—'} → {f.new or '—'}" for f in m.figures[:3]]
    out += [f"+{name}" for name in m.actors_added[:3]] + [f"−{name}" for name in m.actors_removed[:3]]
    return tuple(out) or ("changed",)


def positions_to_dict(p: Positions) -> dict[str, Any]:
    """The JSON form: topics with their change indices, and the digest (marks go under each change)."""
    return {
        "kind": p.kind,
        "tilt": p.tilt or None,
        "topics": [
            {"label": t.label, "pinned": t.pinned, "changes": list(t.changes)} for t in p.topics
        ],
        "digest": [
            {"topic": p.topics.index(d.topic), "editorial": d.editorial,
             "items": [{"kind": i.kind, "change": i.change, "text": i.text, "words": list(i.words), "tilt": i.tilt,
                        "edits": [{"old": e.old, "new": e.new} for e in i.edits]}
                       for i in d.items]}
            for d in p.digest
        ],
    }


def marks_to_dict(m: Marks | None, topic: int) -> dict[str, Any]:
    """One change's marks as JSON (``None`` marks: an unchanged sentence, only its topic)."""
    if m is None:
        return {"topic": topic}
    return {
        "topic": topic,
        "figures": [{"old": f.old, "new": f.new} for f in m.figures],
        "stance": m.stance,
        "stance_words": list(m.stance_words),
        "tilt": m.tilt,
        "tilt_words": list(m.tilt_words),
        "negation": m.negation,
        "actors_added": list(m.actors_added),
        "actors_removed": list(m.actors_removed),
        "substantive": m.substantive,
    }
