"""The validated scenario: frozen dataclasses the Dialogue plays. Authored YAML never reaches it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

FORMAT_VERSION = 1
ROLES = ("manager", "hr")
SPEAKERS = ("manager", "employee", "hr", "narrator")
ENDING_KINDS = ("good", "mixed", "poor")


@dataclass(frozen=True)
class Variable:
    name: str
    start: int
    low: int
    high: int
    label: dict          # lang -> label
    line: int = 0
    hidden: bool = False  # bookkeeping the story needs (a flag, a count), not shown as a meter


@dataclass(frozen=True)
class Condition:
    text: str
    tree: tuple
    line: int = 0


@dataclass(frozen=True)
class Line:
    speaker: str
    text: dict           # lang -> tuple of variants
    condition: Condition | None = None
    line: int = 0


@dataclass(frozen=True)
class Choice:
    text: dict           # lang -> what the learner says
    goto: str
    condition: Condition | None = None
    effects: tuple = ()  # ((variable, delta), …)
    meets: tuple = ()
    violates: tuple = ()
    feedback: dict | None = None
    line: int = 0


@dataclass(frozen=True)
class Route:
    goto: str
    condition: Condition | None = None
    line: int = 0


@dataclass(frozen=True)
class Ending:
    kind: str
    title: dict


@dataclass(frozen=True)
class Node:
    id: str
    lines: tuple = ()
    choices: tuple = ()
    routes: tuple = ()   # `next:` — automatic transitions, first whose condition holds
    ending: Ending | None = None
    line: int = 0


@dataclass(frozen=True)
class Scenario:
    id: str
    path: str
    stage: int
    role: str
    title: dict
    persona: dict
    briefing: dict
    variables: tuple
    start: str
    nodes: dict = field(hash=False)
    line_of: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def checkpoints(self) -> list[str]:
        """Every checkpoint a choice of this scenario meets or violates, in authored order."""
        return list(self._checkpoints)

    @cached_property
    def _checkpoints(self) -> tuple:
        # computed once: scoring a state asks for it, and exploring scores every ending state
        seen: list[str] = []
        for node in self.nodes.values():
            for choice in node.choices:
                for cp in (*choice.meets, *choice.violates):
                    if cp not in seen:
                        seen.append(cp)
        return tuple(seen)

    def variable(self, name: str) -> Variable:
        return next(v for v in self.variables if v.name == name)

    @property
    def endings(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.ending]
