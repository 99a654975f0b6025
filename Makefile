# The two commands: `make run` (embedded mode, no services) and `make test` (real PostgreSQL + Redis).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_EMAIL ?= demo@flowbuilder.local
DEMO_PASSWORD ?= demo-flowbuilder
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/flowbuilder
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint setup migrate hunt

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

setup: $(VENV)/.installed-runtime

run: setup
	scripts/ensure-sandbox.sh
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py bootstrap --org "Demo" --email $(DEMO_EMAIL) --password $(DEMO_PASSWORD) --plan business
	$(PY) manage.py seed_samples --org "Demo"
	@echo ""
	@echo "  Flowbuilder is starting on http://$(HOST):$(PORT)/"
	@echo "  Demo login: $(DEMO_EMAIL) / $(DEMO_PASSWORD)"
	@echo ""
	$(VENV)/bin/daphne --bind $(HOST) --port $(PORT) flowbuilder.asgi:application

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

test: $(VENV)/.installed-dev
	scripts/ensure-services.sh
	scripts/ensure-browser.sh
	scripts/ensure-sandbox.sh
	$(VENV)/bin/ruff check .
	$(MAKE) frontend-check
	$(MAKE) sdk-check
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest $(PYTEST_ARGS)

# Flaky-test hunt: the suite RUNS times in random order, every other run with the CPUs busy.
RUNS ?= 5
hunt: $(VENV)/.installed-dev
	scripts/ensure-services.sh
	scripts/hunt-flaky.sh $(RUNS) $(PYTEST_ARGS)

# The editor canvas (frontend/): type check, unit tests, rebuild, and fail when the committed
# bundle in static/editor/ differs from what the source builds.
.PHONY: frontend-check
frontend-check:
	cd frontend && npm ci --no-audit --no-fund && npm run typecheck && npm test && npm run build
	git diff --exit-code -- static/editor
	@test -z "$$(git status --porcelain -- static/editor)" || { git status --short -- static/editor; echo "static/editor differs from the source build: rebuild and commit it"; exit 1; }

# The TypeScript SDK (sdk/typescript, @flowbuilder/sdk): install, build ESM + CJS + types, then its
# type check, unit tests and packaging test (npm pack → clean install → import). Its live suite
# is tests/e2e/test_sdk_typescript.py and its schema drift check tests/api/test_typescript_sdk_types.py.
.PHONY: sdk-check sdk-generate-ts
sdk-check:
	cd sdk/typescript && npm ci --no-audit --no-fund && npm run build && npm test

# Regenerate sdk/typescript/src/schema.ts from the API's OpenAPI schema (after any API change).
sdk-generate-ts: $(VENV)/.installed-runtime
	@mkdir -p var
	DATABASE_URL=$(SCHEMA_DATABASE_URL) $(PY) manage.py spectacular --format openapi-json --file var/openapi-sdk.json
	cd sdk/typescript && (test -d node_modules || npm ci --no-audit --no-fund) && npm run --silent generate -- ../../var/openapi-sdk.json

# The SDKs' generated types, from the API's OpenAPI schema (the same document /api/v1/schema/ serves).
# tests/sdk/test_models_drift.py fails with this command when the committed Python models differ.
# The TypeScript SDK regenerates too (its own target, sdk-generate-ts) when it is in the checkout.
# The schema is that of the PostgreSQL backend, as in the tests and in production: integer bounds
# follow the database (SQLite's are 64-bit), and spectacular does not connect to it.
SCHEMA_DATABASE_URL ?= $(TEST_DATABASE_URL)
.PHONY: sdk-generate
sdk-generate: $(VENV)/.installed-runtime
	@mkdir -p var
	DATABASE_URL=$(SCHEMA_DATABASE_URL) $(PY) manage.py spectacular --format openapi-json --file var/openapi.json
	$(PY) sdk/python/scripts/generate_models.py var/openapi.json sdk/python/src/flowbuilder_sdk/models.py
	$(PY) sdk/python/scripts/generate_async_types.py sdk/python/src/flowbuilder_sdk/_async_types.py
	@if [ -f sdk/typescript/package.json ]; then $(MAKE) sdk-generate-ts; \
	else echo "sdk/typescript is not in this checkout: regenerated the Python SDK only"; fi
