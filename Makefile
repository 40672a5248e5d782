# Developer tasks; .ci/run calls the same targets.
PYTHON ?= python

.PHONY: test lint fix serve demo bench bench-api bench-pages smoke docs messages screenshots

test:  ## the README's test command: the whole suite, SQLite and PostgreSQL
	pytest

lint:  ## ruff (lint + format check) and mypy --strict
	ruff check gatekeeper tests benchmarks
	ruff format --check gatekeeper tests benchmarks
	mypy

fix:  ## apply ruff's fixes and formatting
	ruff check --fix gatekeeper tests benchmarks
	ruff format gatekeeper tests benchmarks

demo:  ## demo data in ./gatekeeper.db
	gatekeeper demo

serve:  ## run the server on 127.0.0.1:8000
	gatekeeper serve

bench:  ## benchmarks (~8 min on 2 cores): issue 14 goals, capacity, every figure next to its limit; rewrites RESULTS.md's generated part
	$(PYTHON) -m benchmarks --write-results

bench-api:  ## API benchmark: checklist ticks over HTTP with wrk (16 connections) next to a bare endpoint
	$(PYTHON) -m benchmarks.api

bench-pages:  ## page render times: dashboard with 500 projects, gate page with 300 items (SQLite)
	$(PYTHON) -m benchmarks.pages

screenshots:  ## docs/screenshots/*.png of the demo in Debian's Chromium (apt-get install chromium)
	$(PYTHON) -m tests.browser.screenshots

smoke:  ## Quick start block 1 in a scratch folder: validate, demo, serve, health check
	bash .ci/smoke

docs:  ## regenerate docs/reference.md and the event list in docs/webhooks.md from the code
	$(PYTHON) -c "from gatekeeper.reference import render_reference as r; open('docs/reference.md','w').write(r())"
	$(PYTHON) -c "from gatekeeper.reference import with_event_fields as w; from pathlib import Path; p = Path('docs/webhooks.md'); p.write_text(w(p.read_text('utf-8')), 'utf-8')"

messages:  ## web UI strings: extract the (Swedish) msgids, update the sv and en catalogues
	pybabel extract -F gatekeeper/web/locale/babel.cfg -k N_ --no-location --sort-output \
		--project gatekeeper --copyright-holder "gatekeeper maintainers" \
		-o gatekeeper/web/locale/messages.pot gatekeeper/web
	pybabel update -i gatekeeper/web/locale/messages.pot -d gatekeeper/web/locale \
		--no-wrap --ignore-obsolete
