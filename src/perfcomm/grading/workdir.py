"""A grading work directory: a standard nbgrader course directory plus perfcomm's reports."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..course import Course

CONFIG = "nbgrader_config.py"
TEMPLATE = "grader/nbgrader_config.py.in"
TIMEOUT = 30  # seconds per cell


def ensure_tools_on_path() -> None:
    """nbgrader runs `alembic` (and kernels run `python`) as subprocesses: put this environment's
    bin folder first on PATH, so `.venv/bin/perfcomm …` works without an activated venv."""
    bin_dir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


@dataclass(frozen=True)
class Workdir:
    root: Path

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG

    def folder(self, name: str) -> Path:
        return self.root / name

    def write_config(self, course: Course, db_url: str | None) -> None:
        template = (course.root / TEMPLATE).read_text(encoding="utf-8")
        url = db_url or f"sqlite:///{(self.root / 'gradebook.db').resolve()}"
        self.root.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(template.format(root=str(self.root.resolve()), db_url=url, timeout=TIMEOUT),
                                    encoding="utf-8")

    def config(self):
        from traitlets.config.loader import PyFileConfigLoader

        if not self.config_file.is_file():
            raise FileNotFoundError(f"{self.root}: not a grading work directory — run"
                                    f" `perfcomm grade init --workdir {self.root}` first")
        return PyFileConfigLoader(CONFIG, path=str(self.root)).load_config()

    @property
    def db_url(self) -> str:
        return self.config().CourseDirectory.db_url

    def api(self, config=None):
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        ensure_tools_on_path()
        config = config or self.config()
        coursedir = CourseDirectory(config=config)
        return NbGraderAPI(coursedir=coursedir, config=config)

    def gradebook(self):
        from nbgrader.api import Gradebook

        ensure_tools_on_path()
        return Gradebook(self.db_url)
