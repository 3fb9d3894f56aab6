# Community Lab task runner. The README's two commands are `make present` and `make test`;
# both create .venv and install everything they need first, so they work on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8866
# Which lessons get a preheated kernel when presenting: en, zh_CN, all or none.
LANG_PREHEAT ?= en
# A workshop room: `make present ROOM=30 LESSONS=01,03` sizes kernels for 30 learners on lessons 01 and 03;
# HOST=0.0.0.0 lets their laptops and phones in (an access token and a QR code are printed at start).
ROOM ?= 0
LESSONS ?=
HOST ?= 127.0.0.1
# Debian packages for the browser tests: Chromium and a CJK font so Chinese renders in screenshots.
BROWSER_PACKAGES := chromium fonts-noto-cjk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HUB_PORT ?= 8000
# configurable-http-proxy, JupyterHub's proxy, from npm into deploy/node_modules (deploy/package-lock.json)
HUB_PROXY := deploy/node_modules/.bin/configurable-http-proxy

.PHONY: help setup present lab hub test test-fast test-notebooks test-browser lint format bench clean browser constraints

help:
	@echo "make present   set everything up and serve the course in Voila on 127.0.0.1:$(PORT)"
	@echo "make test      set everything up (incl. Chromium) and run the whole test suite"
	@echo "make lab       open the course in JupyterLab (learners)"
	@echo "make hub       run JupyterHub for a room of learners in JupyterLab on 127.0.0.1:$(HUB_PORT)"
	@echo "make bench     run the benchmarks, writing benchmarks/results.json"
	@echo "make constraints  re-resolve constraints.txt (the tested versions) from pyproject.toml"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "Installing Debian's python3-venv (venv needs it)"; \
	  $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

# Installed against constraints.txt: the versions the test suite last passed with (`make constraints` refreshes it).
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -c constraints.txt -e ".[test,bench,hub]"
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium, installed only when missing (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk" || { \
	  echo "Installing Debian packages: $(BROWSER_PACKAGES)"; \
	  $(SUDO) apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(BROWSER_PACKAGES); }

present: $(STAMP)
	$(BIN)/communitylab present --root . --port $(PORT) --lang $(LANG_PREHEAT) --room $(ROOM) --host $(HOST) \
	  $(if $(LESSONS),--lessons $(LESSONS))

# JupyterLab for learners, rooted at the course folder so both notebooks/ and exercises/ are open to them.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP)
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 $(ALLOW_ROOT) --ServerApp.root_dir=. \
	  --LabApp.default_url=/lab/tree/notebooks/en/00_welcome.ipynb

# Node.js and npm from Debian only when npm is missing; `npm ci` installs exactly the locked proxy.
$(HUB_PROXY): deploy/package.json deploy/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian packages: nodejs npm"; \
	  $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; }
	npm ci --no-audit --no-fund --prefix deploy
	touch $@

# JupyterHub for a workshop room (deploy/README.md): learners log in with the room password it prints.
hub: $(STAMP) $(HUB_PROXY)
	$(BIN)/communitylab hub --root . --port $(HUB_PORT)

# Re-resolve the tested versions for Python 3.11 on every platform with uv (from PyPI, into .venv).
constraints: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv>=0.5"
	$(BIN)/uv pip compile pyproject.toml --extra test --extra bench --extra hub --universal \
	  --python-version 3.11 --custom-compile-command "make constraints" --upgrade -o constraints.txt

# The whole suite: lint and format check, unit/property/model tests (the JupyterHub test included),
# the lesson notebooks through nbval, the browser tests.
test: $(STAMP) browser $(HUB_PROXY)
	$(MAKE) lint
	$(BIN)/python -m pytest tests -m "not browser"
	$(MAKE) test-notebooks
	$(MAKE) test-browser

# The lesson notebooks only: the exercise notebooks run once, in tests/exercises/test_notebooks.py (part of
# `pytest tests` above), as committed and with every solution filled in; running them here too doubled their time.
# Progress recording off: the check cells would otherwise write into this machine's user data folder.
test-notebooks: $(STAMP)
	COMMUNITYLAB_PROGRESS=off $(BIN)/python -m pytest --nbval-lax --nbval-current-env notebooks

# ruff's settings are in pyproject.toml; `make format` applies what `make lint` checks.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-browser: $(STAMP) browser
	$(BIN)/python -m pytest tests -m browser

bench: $(STAMP) browser
	$(BIN)/python benchmarks/run.py $(ONLY)

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache deploy/node_modules
