"""Pieces of the mkdocs build: hooks that render course data into the pages."""
