# Two commands for a fresh machine:  make serve  and  make test.
# Both create .venv from the pinned requirements.lock on first run.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# npm packages the tests use (package.json, package-lock.json): an independent Open Badges verifier
# and scorm-again, the SCORM 1.2 runtime that plays the LMS
NODE_STAMP := node_modules/.installed
# Debian packages the tests drive: a real browser (and Chinese fonts for the PDF certificates and the
# workshop kit), a real PostgreSQL server, and poppler's pdftotext/pdfinfo/pdftoppm to read PDFs back.
DEBS   := chromium postgresql fonts-noto-cjk poppler-utils
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The in-browser exercises (/lab/ of the site): Pyodide's core from npm and the pure-Python wheels its
# kernel loads, fetched once here; the site build itself is offline. The browser runs Pyodide's own
# Python (3.14), so pip picks wheels for that Python, whatever the venv's is. PyYAML has no pure
# wheel on PyPI: it is built from its source without its C part (the same version as the venv's).
LITE   := .cache/lite/wheels/.ready
PYYAML := $(shell grep -i '^PyYAML==' requirements.lock)

.PHONY: serve test build check lock system lite clean

serve: $(STAMP) $(LITE)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/mkdocs serve -a 127.0.0.1:8000

build: $(STAMP) $(LITE)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/mkdocs build --strict

test: $(STAMP) $(LITE) system $(NODE_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/perfcomm check --strict

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# npm packages, exactly as package-lock.json pins them (Node.js and npm from Debian when missing):
# Pyodide's core, which the site serves for the in-browser exercises, and the tests' own (an
# independent Open Badges verifier, scorm-again). No package's install scripts are run.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "installing Debian packages: nodejs npm"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NODE_STAMP)

lite: $(LITE)

$(LITE): lite/requirements-browser.txt $(NODE_STAMP) $(STAMP)
	rm -rf $(dir $(LITE)) && mkdir -p $(dir $(LITE))
	$(BIN)/python -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.14 \
	  --implementation py --abi none --platform any -d $(dir $(LITE)) -r lite/requirements-browser.txt
	PYYAML_FORCE_LIBYAML=0 PYYAML_FORCE_CYTHON=0 $(BIN)/python -m pip wheel --quiet --no-deps \
	  --no-cache-dir --no-binary pyyaml -w $(dir $(LITE)) "$(PYYAML)"
	ls $(dir $(LITE))pyyaml-*-py3-none-any.whl >/dev/null
	touch $@

# Install the Debian packages the tests need, only where they are missing.
system:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Re-pin after changing requirements.in: resolves into a scratch venv and freezes it.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade pip
	.venv-lock/bin/pip install --quiet -r requirements.in
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf site .pytest_cache build .cache/lite
