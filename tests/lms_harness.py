"""What the LMS package tests share: the site built with --no-directory-urls, packages unpacked,
and a loopback server that serves them under an arbitrary path next to an LMS's own pages."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm12.min.js"
PREFIX = "/lms/content/course-7f3a/v2"      # where the "LMS" serves an imported package

# The LMS's player page: a real SCORM 1.2 runtime (scorm-again) as window.API, the SCO in a frame.
HARNESS = """<!doctype html>
<html><head><meta charset="utf-8"><title>LMS</title><link rel="icon" href="data:,"><script src="scorm12.min.js"></script></head>
<body>
<script>
  window.events = [];
  window.launch = (src, data) => {
    window.API = new Scorm12API({ autocommit: false, logLevel: 5 });
    if (data) window.API.loadFromJSON(data);
    for (const name of ["LMSInitialize", "LMSCommit", "LMSFinish"]) {
      window.API.on(name, () => window.events.push(name));
    }
    const frame = document.createElement("iframe");
    frame.id = "sco";
    frame.style.width = "1000px";
    frame.style.height = "700px";
    frame.src = src;
    document.body.append(frame);
  };
  window.close_sco = () => document.getElementById("sco").remove();
  window.model = () => JSON.parse(JSON.stringify(window.API.cmi));
</script>
</body></html>
"""


def unpack(archive: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    with zipfile.ZipFile(archive) as z:
        z.extractall(dest)
    return dest


def docroot(tmp: Path, packages: dict[str, Path]) -> Path:
    """A web root: the LMS's harness and runtime under /lms/, each package under PREFIX/<name>/."""
    root = tmp / "www"
    (root / "lms").mkdir(parents=True, exist_ok=True)
    (root / "lms" / "harness.html").write_text(HARNESS, encoding="utf-8")
    shutil.copyfile(SCORM_AGAIN, root / "lms" / "scorm12.min.js")
    for name, folder in packages.items():
        target = root / PREFIX.lstrip("/") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.symlink_to(folder, target_is_directory=True)
    return root


def items(array: dict) -> list:
    """scorm-again renders cmi.interactions (and their objectives) as {"0": …, "1": …}."""
    return [array[key] for key in sorted(array, key=int)]
