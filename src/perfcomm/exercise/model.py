"""A stage exercise as data: questions of seven kinds, texts in both languages, keys kept apart."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("single", "multiple", "order", "match", "scenario", "audit", "prose")
AUTOGRADED = ("single", "multiple", "order", "match", "scenario", "audit")
STATUSES = ("met", "missed", "violated")


@dataclass(frozen=True)
class Option:
    id: str
    text: dict
    line: int = 0


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    points: float
    prompt: dict
    checkpoints: tuple = ()
    options: tuple = ()        # Option: choices, steps to order, or actions to match
    items: tuple = ()          # Option: the left side of a match (causes)
    key: object = None         # str | list | dict — never released
    scenario: str | None = None
    choices: tuple = ()        # audit: the run whose transcript is audited
    audit: tuple = ()          # audit: the checkpoints the learner judges
    rubric: dict | None = None  # prose: what the HR grader looks for (lang -> list)
    line: int = 0


@dataclass(frozen=True)
class Exercise:
    name: str                  # e.g. stage1; assignments are stage1-zh and stage1-en
    path: str
    stage: int
    title: dict
    intro: dict
    questions: tuple

    def assignment(self, lang: str) -> str:
        return f"{self.name}-{lang}"

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    @property
    def total_points(self) -> float:
        return sum(q.points for q in self.questions)
