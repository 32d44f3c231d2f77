# Achyk Atlas: `make run` serves the app, `make test` checks everything. Both set themselves up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run serve test lint bench load clean
REPLICAS ?= 2

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m atlas.demo_pin
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

# N Streamlit processes behind nginx, one shared PostgreSQL (scripts/serve.py); Ctrl-C stops all
serve: $(STAMP)
	bash scripts/system_deps.sh
	$(PY) scripts/serve.py --replicas $(REPLICAS) --port $(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test: $(STAMP) lint
	bash scripts/system_deps.sh
	$(PY) -m pytest

bench: $(STAMP)
	bash scripts/system_deps.sh
	$(PY) scripts/bench.py

load: $(STAMP)
	bash scripts/system_deps.sh
	$(PY) scripts/load.py

clean:
	rm -rf $(VENV) .pytest_cache
