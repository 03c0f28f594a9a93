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

.PHONY: serve test build check lock system clean

serve: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/mkdocs serve -a 127.0.0.1:8000

build: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/mkdocs build --strict

test: $(STAMP) system $(NODE_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/perfcomm check

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The tests' npm packages, exactly as package-lock.json pins them (Node.js and npm from Debian when missing).
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "installing Debian packages: nodejs npm"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

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
	rm -rf site .pytest_cache build
