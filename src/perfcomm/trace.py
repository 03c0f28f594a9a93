"""`perfcomm trace`: for each checkpoint, where it is taught, simulated and tested."""

from __future__ import annotations

from .catalogue import load_catalogue
from .course import Course
from .lessons import taught_at


def trace(course: Course) -> dict:
    catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    taught = taught_at(course, catalogue)
    return {
        "checkpoints": [
            {"id": cp.id, "stage": cp.stage, "taught": taught[cp.id], "scenarios": [], "items": []}
            for cp in catalogue.checkpoints
        ]
    }


def lesson_links(course: Course, catalogue, lang: str) -> dict[str, list[str]]:
    """checkpoint id -> the site URLs (in one language) of the sections that teach it."""
    return {cp: by_lang[lang] for cp, by_lang in taught_at(course, catalogue).items()}
