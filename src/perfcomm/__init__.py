"""perfcomm: a course package for performance conversations (site, scenarios, assessment)."""

__version__ = "0.1.0"
