"""Certification: the item bank, a randomised form per candidate, grading with pass mark and
stage sub-scores, verifiable certificates, and item statistics."""
