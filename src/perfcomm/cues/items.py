"""Bank items and exercise questions: does the key stand out by length, and the classic
item-writing flaws (Haladyna, Downing & Rodriguez 2002): "all / none of the above", absolute words
only in distractors, options that repeat one another, a key that repeats the stem.

Both kinds are read through one view, Choices: the options' texts, which of them are keys, the
stem, and where each is in its file. Only single- and multiple-answer items are linted (an ordering
item has no distractors)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from ..course import LANGUAGES
from ..problems import Problem
from . import rules as r


@dataclass(frozen=True)
class Choices:
    what: str                # "item 's1-standards-01'" or "question 'q1-…'"
    path: str
    line: int
    kind: str                # single | multiple
    stem: dict               # lang -> prompt
    options: tuple           # ((id, {lang: text}, line), …)
    keys: tuple              # ids of the right options

    def _sizes(self, lang: str) -> dict:
        return {oid: r.length(text[lang]) for oid, text, _ in self.options}

    def key_longest(self, lang: str) -> bool:
        """The (single) key is the longest option, or tied for longest."""
        sizes = self._sizes(lang)
        return self.kind == "single" and sizes[self.keys[0]] == max(sizes.values())

    def key_shortest(self, lang: str) -> bool:
        sizes = self._sizes(lang)
        return self.kind == "single" and sizes[self.keys[0]] == min(sizes.values())


def _keys(kind, key, options) -> tuple | None:
    """The keys, or None when they do not name options (a mistake the loader already reports)."""
    if kind not in ("single", "multiple"):
        return None
    keys = (key,) if kind == "single" else tuple(key) if isinstance(key, list) else ()
    ids = {o.id for o in options}
    return keys if keys and all(k in ids for k in keys) else None


def from_item(item) -> Choices | None:
    keys = _keys(item.kind, item.key, item.options)
    if keys is None:
        return None
    return Choices(f"item '{item.id}'", item.path, item.line, item.kind, item.prompt,
                   tuple((o.id, o.text, o.line or item.line) for o in item.options), keys)


def from_question(question, path: str) -> Choices | None:
    keys = _keys(question.kind, question.key, question.options)
    if keys is None:
        return None
    return Choices(f"question '{question.id}'", path, question.line, question.kind, question.prompt,
                   tuple((o.id, o.text, o.line or question.line) for o in question.options), keys)


def lint(c: Choices) -> list[Problem]:
    """Warnings for one item: the key standing out by length, and the classic flaws."""
    keys = [o for o in c.options if o[0] in c.keys]
    others = [o for o in c.options if o[0] not in c.keys]
    if not keys or not others:
        return []
    pointing, found = _of_the_above(c)
    found += _length(c, keys, others) + _absolutes(c, keys, others, pointing)
    found += _overlaps(c, keys, others)
    out, seen = [], set()
    for line, message in found:        # the same flaw found in both languages is said once
        if (line, message) not in seen:
            seen.add((line, message))
            out.append(Problem(c.path, line, f"warning: {c.what}: {message}"))
    return out


def _length(c: Choices, keys, others) -> list:
    outs = {}
    for lang in LANGUAGES:
        key_sizes = [r.length(o[1][lang]) for o in keys]
        other_sizes = [r.length(o[1][lang]) for o in others]
        side = r.stands_out(key_sizes, other_sizes, lang)
        if side:
            outs[lang] = (side, key_sizes, other_sizes)
    if not outs:
        return []
    side = next(iter(outs.values()))[0]
    one = len(keys) == 1
    detail = "; ".join(f"{lang} {_span(k)} characters against {_span(o)}"
                       for lang, (_, k, o) in outs.items())
    fix = ("cut the key to the length of the others, or give the distractors the detail of real"
           " mistakes" if side == "longer" else
           "give the key the detail the distractors have, or cut theirs")
    return [(keys[0][2], f"the {'key is' if one else 'keys are'} {side} than every distractor"
                         f" ({detail}) — a reader can find {'it' if one else 'them'} by length;"
                         f" {fix}")]


def _of_the_above(c: Choices) -> tuple[set, list]:
    """Options about the other options ("all of the above"): their ids, and the warnings."""
    pointing, out = set(), []
    for oid, text, line in c.options:
        found = [p for p in (r.of_the_above(text[lang], lang) for lang in LANGUAGES) if p]
        if found:
            pointing.add(oid)
            quoted = ", ".join(f"'{p}'" for p in found)
            out.append((line, f"option {oid} says {quoted} — an option about the other options"
                              " tests reading, not judgement; write a real option"))
    return pointing, out


def _absolutes(c: Choices, keys, others, pointing) -> list:
    out = []
    for lang in LANGUAGES:
        in_keys = {w for o in keys for w in r.absolute_words(o[1][lang], lang)}
        flagged = {o[0]: r.absolute_words(o[1][lang], lang) for o in others if o[0] not in pointing}
        flagged = {oid: words for oid, words in flagged.items() if words}
        if flagged and not in_keys:
            listed = "; ".join(f"{oid}: {', '.join(words)}" for oid, words in flagged.items())
            out.append((c.line, f"absolute words only in distractors ({lang} — {listed}) — a"
                                " test-wise reader rules those out; put such words in the key too,"
                                " or take them out"))
    return out


def _overlaps(c: Choices, keys, others) -> list:
    """Options sharing most of their words; a key whose words are mostly the stem's."""
    rules = r.rules()
    pairs: dict = {}                    # (a, b) -> {lang: share}
    echoes: dict = {}                   # key id -> {lang: share}
    for lang in LANGUAGES:
        bags = {oid: r.words(text[lang], lang) for oid, text, _ in c.options}
        for (a, _, _), (b, _, _) in combinations(c.options, 2):
            share = r.jaccard(bags[a], bags[b])
            long_enough = min(len(bags[a]), len(bags[b])) >= rules.min_words
            if long_enough and share >= rules.overlap_options:
                pairs.setdefault((a, b), {})[lang] = share
        stem = r.words(c.stem[lang], lang)
        echo = {oid: r.contained(bag, stem) for oid, bag in bags.items()
                if len(bag) >= rules.min_words}
        for key in keys:
            share = echo.get(key[0], 0.0)
            if share >= rules.overlap_stem and all(share > echo.get(o[0], 0.0) for o in others):
                echoes.setdefault(key[0], {})[lang] = share
    lines = {oid: line for oid, _, line in c.options}
    out = [(lines[a], f"options {a} and {b} repeat each other ({_shares(shares)} of their words"
                      " shared) — make each option a distinct action or idea")
           for (a, b), shares in pairs.items()]
    out += [(lines[key], f"the key {key} repeats the stem ({_shares(shares)} of its words are in"
                         " the prompt, more than in any distractor) — reword it, or let the"
                         " distractors echo the prompt too")
            for key, shares in echoes.items()]
    return out


def _span(sizes: list[int]) -> str:
    return str(sizes[0]) if len(set(sizes)) == 1 else f"{min(sizes)}–{max(sizes)}"


def _shares(shares: dict) -> str:
    return ", ".join(f"{lang} {share:.0%}" for lang, share in shares.items())
