"""Where a course's authored files live. A course is a folder with mkdocs.yml and lessons/."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


@dataclass(frozen=True)
class Course:
    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def lessons_data(self) -> Path:
        return self.root / "lessons"

    @property
    def catalogue_file(self) -> Path:
        return self.lessons_data / "checkpoints.yaml"

    @property
    def ui_file(self) -> Path:
        return self.lessons_data / "ui.yaml"

    @property
    def agenda_file(self) -> Path:
        return self.lessons_data / "agenda.yaml"

    @property
    def lesson_pages(self) -> Path:
        return self.docs / "lessons"

    def rel(self, path: Path) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


def find_course(start: Path | None = None) -> Course:
    """The course folder: $PERFCOMM_COURSE, or the nearest folder upwards with mkdocs.yml and lessons/;
    in the learner package (the browser's kernel) the scenarios and catalogue it carries."""
    env = os.environ.get("PERFCOMM_COURSE")
    if env:
        return Course(Path(env))
    here = Path(start or Path.cwd()).resolve()
    checkout = Path(__file__).resolve().parents[2]  # the course this package was installed from
    for folder in (here, *here.parents, checkout):
        if (folder / "mkdocs.yml").is_file() and (folder / "lessons").is_dir():
            return Course(folder)
    packaged = Path(__file__).resolve().parent / "coursedata"   # perfcomm-learner only
    if (packaged / "lessons").is_dir():
        return Course(packaged)
    raise FileNotFoundError(
        f"{here}: no course here — run perfcomm inside a course folder (one with mkdocs.yml and lessons/)"
        " or set PERFCOMM_COURSE")
