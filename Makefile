# precursor-watch: every target sets up what it needs on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PW := $(VENV)/bin/precursor-watch
STAMP := $(VENV)/.installed
APT_STAMP := $(VENV)/.system-deps
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck bench install system-deps browser-deps clean

install: $(STAMP)

# Debian packages: a Java runtime for OPSIN (systematic names), ICU headers for PyICU, the Unicode
# Unihan table (unicode-data) that decodes OFAC's Chinese Commercial Codes.
$(APT_STAMP):
	@need=""; \
	command -v java >/dev/null 2>&1 || need="$$need default-jre-headless"; \
	pkg-config --exists icu-uc 2>/dev/null || need="$$need libicu-dev pkg-config"; \
	command -v g++ >/dev/null 2>&1 || need="$$need g++"; \
	test -e /usr/share/unicode/Unihan_OtherMappings.txt.bz2 || need="$$need unicode-data"; \
	if [ -n "$$need" ]; then echo "installing Debian packages:$$need"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need; fi
	@mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml constraints.txt $(APT_STAMP)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[all]'
	@touch $@

system-deps: $(APT_STAMP)

# Chromium from Debian for the browser tests (Playwright drives the system browser),
# and a CJK font so Chinese names render in pages and screenshots.
browser-deps:
	@need=""; command -v chromium >/dev/null 2>&1 || need="chromium chromium-driver"; \
	test -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || need="$$need fonts-wqy-zenhei"; \
	if [ -n "$$need" ]; then apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need; fi

run: install
	$(PW) demo --host $(HOST) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

typecheck: install
	$(VENV)/bin/mypy

test: install browser-deps lint typecheck
	$(VENV)/bin/pytest -n 2 --dist loadgroup

bench: install
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
