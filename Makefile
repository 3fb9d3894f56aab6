# Community Lab task runner. The README's two commands are `make present` and `make test`;
# both create .venv and install everything they need first, so they work on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8866
# Which lessons get a preheated kernel when presenting: en, zh_CN, all or none.
LANG_PREHEAT ?= en
# Debian packages for the browser tests: Chromium and a CJK font so Chinese renders in screenshots.
BROWSER_PACKAGES := chromium fonts-noto-cjk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup present lab test test-fast test-notebooks test-browser lint format bench clean browser

help:
	@echo "make present   set everything up and serve the course in Voila on 127.0.0.1:$(PORT)"
	@echo "make test      set everything up (incl. Chromium) and run the whole test suite"
	@echo "make lab       open the course in JupyterLab (learners)"
	@echo "make bench     run the benchmarks, writing benchmarks/results.json"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "Installing Debian's python3-venv (venv needs it)"; \
	  $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[test,bench]"
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium, installed only when missing (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk" || { \
	  echo "Installing Debian packages: $(BROWSER_PACKAGES)"; \
	  $(SUDO) apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(BROWSER_PACKAGES); }

present: $(STAMP)
	$(BIN)/communitylab present --root . --port $(PORT) --lang $(LANG_PREHEAT)

# JupyterLab for learners, rooted at the course folder so both notebooks/ and exercises/ are open to them.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP)
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 $(ALLOW_ROOT) --ServerApp.root_dir=. \
	  --LabApp.default_url=/lab/tree/notebooks/en/00_welcome.ipynb

# The whole suite: lint and format check, unit/property/model tests, every notebook through nbval, the browser tests.
test: $(STAMP) browser
	$(MAKE) lint
	$(BIN)/python -m pytest tests -m "not browser"
	$(MAKE) test-notebooks
	$(MAKE) test-browser

# Progress recording off: the check cells would otherwise write into this machine's user data folder.
test-notebooks: $(STAMP)
	COMMUNITYLAB_PROGRESS=off $(BIN)/python -m pytest --nbval-lax --nbval-current-env notebooks exercises

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
	rm -rf $(VENV) test-artifacts .pytest_cache
