"""Helpers the lesson notebooks call, so a learner only ever runs cells."""

from __future__ import annotations

from .catalogue import load_catalogue
from .course import find_course


def show_checkpoints(lang: str = "zh", stage: int | None = None) -> None:
    """Print the checkpoint catalogue (or one stage of it) in the learner's language."""
    course = find_course()
    catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    for number, titles in catalogue.stages.items():
        if stage is not None and number != stage:
            continue
        print(f"\n{titles[lang]}")
        for cp in catalogue.of_stage(number):
            print(f"  [{cp.id}] {cp.text[lang]}")
