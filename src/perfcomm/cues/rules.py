"""The cue rules' data (cues.yaml) and the text measures they use: length, words, overlap."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..scenario.autoplay import length
from ..yamlfile import load_file

DATA = Path(__file__).resolve().parent.parent / "cues.yaml"
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Rules:
    targets: dict
    ratio: float
    min_difference: dict          # lang -> characters
    overlap_options: float
    overlap_stem: float
    min_words: int
    of_the_above: dict            # lang -> phrases
    absolute_words: dict          # lang -> words
    stop_words: frozenset


@lru_cache(maxsize=None)
def rules() -> Rules:
    data = load_file(DATA, "perfcomm/cues.yaml")
    overlap = data["overlap"]
    return Rules(dict(data["targets"]), float(data["stands_out"]["ratio"]),
                 dict(data["stands_out"]["min_difference"]), float(overlap["options"]),
                 float(overlap["stem"]), int(overlap["min_words"]),
                 {lang: tuple(words) for lang, words in data["of_the_above"].items()},
                 {lang: tuple(words) for lang, words in data["absolute_words"].items()},
                 frozenset(data["stop_words"]["en"]))


def stands_out(best: list[int], others: list[int], lang: str) -> str | None:
    """'longer' or 'shorter' when the best options' lengths stand apart from all the others'."""
    r = rules()
    if not best or not others:
        return None
    gap = r.min_difference.get(lang, 0)
    if min(best) > r.ratio * max(others) and min(best) - max(others) >= gap:
        return "longer"
    if r.ratio * max(best) < min(others) and min(others) - max(best) >= gap:
        return "shorter"
    return None


def words(text: str, lang: str) -> set[str]:
    """The words compared for overlap: English words less stop words; Chinese character pairs."""
    lowered = text.lower()
    if lang == "zh":
        pairs = {run[i:i + 2] for run in HAN.findall(lowered) for i in range(len(run) - 1)}
        return pairs | {w for w in WORD.findall(lowered) if w not in rules().stop_words}
    return {w for w in WORD.findall(lowered) if w not in rules().stop_words}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def contained(part: set, whole: set) -> float:
    return len(part & whole) / len(part) if part else 0.0


def of_the_above(text: str, lang: str) -> str | None:
    lowered = " ".join(text.lower().split())
    phrases = rules().of_the_above.get(lang, ())
    return next((p for p in phrases if _has(lowered, p.lower(), lang)), None)


def absolute_words(text: str, lang: str) -> list[str]:
    lowered = text.lower()
    return [w for w in rules().absolute_words.get(lang, ()) if _has(lowered, w.lower(), lang)]


def _has(text: str, phrase: str, lang: str) -> bool:
    if lang == "zh" and HAN.search(phrase):
        return phrase in text
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text) is not None


__all__ = ["Rules", "rules", "length", "stands_out", "words", "jaccard", "contained",
           "of_the_above", "absolute_words"]
