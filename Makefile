# Practice Exchange: the two commands a newcomer needs are `make run` and `make test`.
# Every target does its own set-up and skips what is already there, so a second run is fast.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
MODEL_DIR := instance/models/multilingual-e5-small
STAMP := $(VENV)/.installed
# PostgreSQL used by the second half of `make test` (the production database engine).
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run serve test venv model browser pdf-fonts postgres redis lint eval bench clean translations catalogues

run: venv model catalogues instance/config.py
	$(FLASK) db upgrade
	$(FLASK) practices seed-demo --if-empty
	$(FLASK) search-index prepare
	$(FLASK) run --host 127.0.0.1 --port 5000

# The production server on the configured database (README, Production); not a quick start.
serve: venv model
	PYTHON=$(PY) bin/serve

test: venv model catalogues browser pdf-fonts postgres redis
	$(PY) -m pytest
	TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest -m postgres -p no:cacheprovider

venv: $(STAMP)

# torch first, from the local CPU wheel: otherwise sentence-transformers pulls a CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The interface catalogues (app/translations/<tag>/LC_MESSAGES/messages.po) are compiled to
# .mo files here; the .mo files are build artefacts, never committed.
PO_FILES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
catalogues: venv $(MO_FILES)

%/LC_MESSAGES/messages.mo: %/LC_MESSAGES/messages.po
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

# After strings were added or changed (e.g. after merging a branch): extract every marked
# string, bring each catalogue up to date (new entries empty, changed ones fuzzy; strings that
# left the template are kept as obsolete and come back translated), compile. --no-location
# and --sort-output keep the files stable when code merely moves. Then fill the empty and
# fuzzy entries of every language (tests/web/test_i18n_catalogues.py lists them).
translations: venv
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l --no-location --sort-output \
	  --project "Practice Exchange" --version 1 -o app/translations/messages.pot .
	$(PY) tools/update_catalogues.py app/translations
	$(VENV)/bin/pybabel compile --statistics -d app/translations

model: venv $(MODEL_DIR)/modules.json $(MODEL_DIR)/onnx/model.onnx

# A random SECRET_KEY for this machine, written once, never committed (instance/ is ignored).
instance/config.py:
	mkdir -p instance
	$(PY) -c "import secrets; print('SECRET_KEY = ' + repr(secrets.token_hex(32)))" > $@

$(MODEL_DIR)/modules.json:
	$(PY) -m search_index.provision $(MODEL_DIR)

# The ONNX Runtime path (queries, web workers): exported from the folder, offline (~20 s).
$(MODEL_DIR)/onnx/model.onnx: $(MODEL_DIR)/modules.json
	$(PY) -m search_index.onnx_export $(MODEL_DIR)

browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

# WeasyPrint (annual country reports as PDF) draws text with Debian's Pango; Noto covers
# Arabic (fonts-noto-core) and Chinese, Japanese, Korean (fonts-noto-cjk).
pdf-fonts:
	@dpkg -s libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk)

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || \
	  (pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start && sleep 2 && pg_isready -h 127.0.0.1 -p 5432)

redis:
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no

lint: venv
	$(VENV)/bin/ruff check .

eval: venv model
	$(PY) benchmarks/eval_crosslingual.py
	$(PY) benchmarks/eval_devset.py
	$(PY) benchmarks/eval_tags.py
	$(PY) benchmarks/eval_duplicates.py
	$(PY) benchmarks/eval_languages.py

bench: venv model
	$(PY) benchmarks/bench_courier.py

clean:
	rm -rf $(VENV) instance .pytest_cache
