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
