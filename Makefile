# indsatsteam: `make run` starts the app (web server and scheduler) with demo data, `make test`
# runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PORT ?= 5000
# The web server, the scheduler and the links in e-mails (PUBLIC_BASE_URL) all follow PORT.
export PORT
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export FLASK_APP := wsgi.py
# The app defaults to production when INDSATSTEAM_ENV is unset; make's targets are for
# development (demo data, mail in the log). Override with INDSATSTEAM_ENV=production make …
export INDSATSTEAM_ENV ?= development

.PHONY: banner translations run test install assets db chromium pdf-libs test-sqlite test-postgres lint clean \
	bench-data bench load cluster-test nginx

# The scheduler runs in the background next to the web server; when the web server stops
# (Ctrl+C or an error) the traps send the scheduler SIGTERM and wait for its running job.
# The local OpenID provider (scripts/oidc_provider/server.mjs) starts next to them as the
# stand-in for NemLog-in and the staff IdP: the login page shows "Log ind med MitID Erhverv
# (test)" and "Log ind som medarbejder (test)". OIDC_DEMO=0 make run leaves it out.
run: pdf-libs install assets db banner
	$(FLASK) scheduler & scheduler=$$!; \
	idp=; if [ "$(OIDC_DEMO)" = 1 ]; then node scripts/oidc_provider/server.mjs & idp=$$!; fi; \
	trap 'kill -TERM $$scheduler $$idp 2>/dev/null; wait $$scheduler $$idp' EXIT; \
	trap 'exit 130' INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)
OIDC_DEV_PORT ?= 9400
OIDC_DEMO ?= 1
ifeq ($(OIDC_DEMO),1)
run: export OIDC_DEV_PORT := $(OIDC_DEV_PORT)
run: export OIDC_REDIRECT_BASES ?= http://127.0.0.1:$(PORT)
run: export OIDC_TILBUD_ISSUER ?= http://127.0.0.1:$(OIDC_DEV_PORT)
run: export OIDC_TILBUD_CLIENT_ID ?= indsatsteam-tilbud
run: export OIDC_TILBUD_CLIENT_SECRET ?= dev-tilbud-secret
run: export OIDC_TILBUD_LABEL ?= Log ind med MitID Erhverv (test)
run: export OIDC_STAFF_ISSUER ?= http://127.0.0.1:$(OIDC_DEV_PORT)
run: export OIDC_STAFF_CLIENT_ID ?= indsatsteam-staff
run: export OIDC_STAFF_CLIENT_SECRET ?= dev-staff-secret
run: export OIDC_STAFF_LABEL ?= Log ind som medarbejder (test)
endif

# The start banner: the address and every demo user, read from indsatsteam/demo/seed.py.
banner: install
	@$(PY) scripts/banner.py

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: install node_modules/.installed
	$(PY) scripts/build_assets.py

db: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty

chromium:
	@command -v /usr/bin/chromium >/dev/null || { \
	  echo "Installerer Debians chromium til browsertestene"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-l10n; }

test: pdf-libs install assets chromium
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory cluster-test

# WeasyPrint (the issued PDF documents) draws text with Debian's pango and harfbuzz; the
# documents name DejaVu Sans (Liberation Sans as fallback). poppler-utils (pdftoppm) is for
# looking at a rendered page as an image.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
	fonts-liberation
pdf-libs:
	@if ! dpkg -s $(PDF_LIBS) >/dev/null 2>&1; then \
	  echo "Installerer Debians pango, harfbuzz og skrifttyper til PDF-dokumenterne"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS); \
	fi

# SQLite: one database file per xdist worker, so the suite runs on both cores (PostgreSQL
# below shares one database and runs in one process).
test-sqlite:
	@echo "== Testsuite mod SQLite =="
	$(VENV)/bin/pytest -p no:cacheprovider -n 2

# PostgreSQL must answer in CI; on a laptop without it the run says so and skips.
test-postgres:
	@if $(PY) scripts/pg_ready.py "$(PG_URL)"; then \
	  echo "== Testsuite mod PostgreSQL =="; \
	  TEST_DATABASE_URL="$(PG_URL)" $(VENV)/bin/pytest -p no:cacheprovider; \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "PostgreSQL svarer ikke på $(PG_URL), men CI kræver den"; exit 1; \
	else \
	  echo "PostgreSQL svarer ikke på $(PG_URL): springer PostgreSQL-kørslen over"; \
	fi

lint: install
	$(VENV)/bin/ruff check .

# Performance (README, "Ydelse"): the large synthetic data set in its own database.
BENCH_DB ?= sqlite:////tmp/indsatsteam-large.db
LOAD_PORT ?= 8765

bench-data: install
	DATABASE_URL=$(BENCH_DB) $(FLASK) db upgrade
	DATABASE_URL=$(BENCH_DB) $(FLASK) seed-demo --size large --if-empty

bench: bench-data
	DATABASE_URL=$(BENCH_DB) $(FLASK) bench

load: bench-data
	DATABASE_URL=$(BENCH_DB) $(VENV)/bin/gunicorn -w 4 -b 127.0.0.1:$(LOAD_PORT) wsgi:app & \
	server=$$!; trap 'kill -TERM $$server; wait $$server' EXIT; sleep 3; \
	$(PY) scripts/loadtest.py --url http://127.0.0.1:$(LOAD_PORT) --clients 50 --seconds 60

# The cluster test (README "Drift"): two app hosts, nginx, PostgreSQL, Redis and an SMTP counter
# in network namespaces of their own, 100 sessions for 60 s, one host SIGKILLed midway. Root.
# Without root (a laptop) it says so and skips; CI runs as root and requires it.
cluster-test: install assets
	@if [ "$$(id -u)" != 0 ] && [ "$${CI:-}" != "true" ]; then \
	  echo "Klyngetesten kræver root (ip netns): springer den over"; \
	else \
	  $(MAKE) --no-print-directory nginx && echo "== Klyngetest (netværksnavnerum) ==" && \
	  bash scripts/cluster/run.sh; \
	fi

# Debian's nginx for the cluster test (only the binary is used; no service is started).
nginx:
	@command -v nginx >/dev/null || { \
	  echo "Installerer Debians nginx til klyngetesten"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light \
	    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }

# WTForms' Danish messages: recompile after editing indsatsteam/translations/da/LC_MESSAGES/wtforms.po
translations: install
	$(VENV)/bin/pybabel compile -d indsatsteam/translations -D wtforms

clean:
	rm -rf $(VENV) node_modules indsatsteam/static/vendor
