# Two entry points: `make demo` (the main job on the embedded local store) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint deps git-lfs browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

deps: $(STAMP)

git-lfs:
	@command -v git-lfs >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -qq git-lfs >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null && apt-get install -y -qq git-lfs >/dev/null)); \
	  else \
	    echo "git-lfs is missing: install it (Debian: sudo apt-get install git-lfs) and rerun" >&2; \
	    exit 3; \
	  fi; }

# Chromium and its driver for the gallery's browser tests; they skip when this cannot install.
browser:
	@{ command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null && apt-get install -y -qq chromium chromium-driver >/dev/null)) || \
	    echo "could not install chromium chromium-driver: the browser tests will be skipped" >&2; \
	  else \
	    echo "chromium/chromedriver missing: the browser tests will be skipped" \
	      "(Debian: sudo apt-get install chromium chromium-driver)" >&2; \
	  fi; }

demo: deps git-lfs
	rm -rf offload-demo
	$(BIN)/offload demo offload-demo

test: deps git-lfs browser
	$(BIN)/python -m pytest -n 2 -q

lint: deps
	$(BIN)/ruff check src testing tests bench
	$(BIN)/mypy
