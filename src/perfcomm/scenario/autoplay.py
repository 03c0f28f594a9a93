"""Play a scenario by a policy instead of a person: at each decision pick the longest, the shortest,
the only question or a random option on offer (in the dialogue's language). Authors and tests use
it to see whether reading the form of the options alone, not judging them, wins a scenario."""

from __future__ import annotations

import random

from .dialogue import Dialogue

POLICIES = ("longest", "shortest", "question", "random")
QUESTION_MARKS = ("?", "？")
CLOSING = "\"'”’」』）)"
MAX_DECISIONS = 500


def length(text: str) -> int:
    """Characters of a line as a reader sees it: runs of white space count as one."""
    return len(" ".join(text.split()))


def is_question(text: str) -> bool:
    """Whether a line ends as a question (a closing quote or bracket after the mark is ignored)."""
    return text.rstrip().rstrip(CLOSING).endswith(QUESTION_MARKS)


def pick(policy: str, texts: list[str], rng: random.Random) -> int:
    """The 0-based position the policy picks among the texts on offer; ties go to the first. The
    question policy picks the one option that ends as a question, else the first option."""
    if policy == "random":
        return rng.randrange(len(texts))
    if policy == "question":
        asked = [n for n, t in enumerate(texts) if is_question(t)]
        return asked[0] if len(asked) == 1 else 0
    sizes = [length(t) for t in texts]
    target = max(sizes) if policy == "longest" else min(sizes)
    return sizes.index(target)


def autoplay(dialogue: Dialogue, policy: str, seed: int = 0) -> bool:
    """Play on from the dialogue's state by the policy until an ending; False if it never ends:
    a fixed policy that comes back to a state it has been in loops for ever (stopped there), and a
    random one is stopped after MAX_DECISIONS decisions."""
    if policy not in POLICIES:
        raise ValueError(f"policy {policy!r} is not one of {', '.join(POLICIES)}")
    rng = random.Random(seed)
    seen = set()
    for _ in range(MAX_DECISIONS):
        if dialogue.finished:
            return True
        if policy != "random":
            if dialogue.state in seen:
                return False
            seen.add(dialogue.state)
        dialogue.choose(pick(policy, [c.text for c in dialogue.choices], rng))
    return dialogue.finished
