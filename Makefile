# Two entry points: `make demo` (the main job on the embedded local store) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint deps git-lfs

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

demo: deps git-lfs
	rm -rf offload-demo
	$(BIN)/offload demo offload-demo

test: deps git-lfs
	$(BIN)/python -m pytest -n 2 -q

lint: deps
	$(BIN)/ruff check src testing tests bench
	$(BIN)/mypy
