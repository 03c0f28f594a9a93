"""The players' own words (not course content), read from lessons/ui.yaml's `player` section."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..yamlfile import load_file

PACKAGED = Path(__file__).with_name("player-words.yaml")


@lru_cache(maxsize=None)
def _all() -> dict:
    return load_file(PACKAGED, "perfcomm/players/player-words.yaml")


def words(lang: str) -> dict:
    """The player's words in one language: {key: text or {sub: text}}."""
    def pick(value):
        if isinstance(value, dict) and "zh" in value and "en" in value:
            return value[lang]
        return {k: pick(v) for k, v in value.items()}
    return {key: pick(value) for key, value in _all().items()}


def speaker_name(lang: str, speaker: str, role: str) -> str:
    """How a player labels a speaker: the learner's own role is "you", everyone else by their role
    (in a scenario where the learner is HR, the manager is "Manager", not "You (manager)")."""
    w = words(lang)
    names = w["speaker"] if speaker == role else w["speaker_observed"]
    return names.get(speaker, speaker)
