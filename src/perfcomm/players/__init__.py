"""Players: present a Dialogue to a person (terminal, Jupyter widgets)."""
