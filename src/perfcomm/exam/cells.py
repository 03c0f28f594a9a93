"""Kept for exam notebooks delivered before the item widget moved to the learner package."""

from ..exercise.form import item, sitting

__all__ = ["item", "sitting"]
