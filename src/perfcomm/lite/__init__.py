"""The exercises in the browser: a JupyterLite build under /lab/ of the course site, with Pyodide and
every wheel served by the site itself, and the learner-only package the browser kernel imports."""
