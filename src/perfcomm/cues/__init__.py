"""Answer cues: what lets a learner find the best option without judging the situation.

rules.py reads the thresholds and word lists (cues.yaml beside this package) and measures texts;
decisions.py measures scenario decisions and plays the length policies; items.py lints bank items
and exercise questions; course.py puts it together for `perfcomm check` and `perfcomm cues`.
"""
