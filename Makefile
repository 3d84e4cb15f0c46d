# Barby: the two commands are `make run` (the app on http://localhost:3000 with demo data) and
# `make test` (the whole suite against PostgreSQL, Redis, a real SMTP server and Chromium).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_BUN_PATH := $(CURDIR)/tools/node_modules/bun/bin/bun.exe
export PYTHONPATH := $(CURDIR)

.PHONY: setup run worker cron test lint services system-deps migrate seed bench clean

setup: $(VENV)/.installed tools/node_modules/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

tools/node_modules/.installed: tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the tests use: Chromium for browser tests, zbar to decode QR codes, poppler for PDFs.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	ldconfig -p | grep -q libzbar.so || missing="$$missing libzbar0"; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

# PostgreSQL and Redis, started with the machine's own commands when they are not already up.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && exit 0; sleep 1; done; echo "services did not start"; exit 1

migrate: setup
	@mkdir -p var
	$(BIN)/alembic upgrade head

seed: migrate
	$(BIN)/python -m services.seed

run: seed
	$(BIN)/python tools/devserver.py

# Production shape: rq workers deliver PDFs, email and SMS (the scheduler runs their timed retries),
# and `make cron` runs the periodic jobs (hold expiry, payment reconciliation, delivery sweep).
worker: setup
	$(BIN)/rq worker --with-scheduler --worker-class services.delivery.worker.DeliveryWorker \
		--url $${REDIS_URL:-redis://127.0.0.1:6379/0} $${RQ_QUEUE:-barby}

cron: setup
	$(BIN)/rq cron services/cron.py --url $${REDIS_URL:-redis://127.0.0.1:6379/0}

test: setup system-deps services
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) tools/node_modules .web var
