"""Stage exercises: authored YAML -> nbgrader source notebooks; no-code answer widgets; the scoring
functions the hidden tests call. A learner never writes Python: every answer is a click or prose."""
