"""The course in a company learning platform: SCORM 1.2 and cmi5 packages of the site, whose lessons
report completion and whose scenarios report scores, pass or fail, and every choice.

- settings.py: lessons/lms.yaml (the course's IRI, the scenarios' mastery scores);
- units.py: the course as a platform sees it, stage by stage;
- site.py: the site built with --no-directory-urls, launch copies of the units' pages, the zip;
- scorm.py, cmi5.py: imsmanifest.xml and cmi5.xml, validated against schemas/ before writing;
- web/: the adapters the launch pages load (lms.js shared, scorm12.js, cmi5.js), in packages only;
- commands.py: `perfcomm package scorm|cmi5 --lang zh|en --out FILE.zip`.
"""

from .commands import make_package
from .settings import LmsSettings, load_settings
from .units import course_outline

__all__ = ["LmsSettings", "course_outline", "load_settings", "make_package"]
