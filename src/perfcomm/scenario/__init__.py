"""Conversation scenarios: authored YAML -> validated model -> Dialogue runtime.

The engine knows nothing of widgets or terminals and depends only on pure-Python packages, so
that it can later run in the browser (Pyodide). Players (terminal, ipywidgets) use Dialogue.
"""

from .dialogue import Dialogue, Line, Offered
from .load import load_scenario
from .model import Scenario

__all__ = ["Dialogue", "Line", "Offered", "Scenario", "load_scenario"]
