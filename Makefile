# Prongsai: the two commands a newcomer needs are `make run` and `make test` (see README.md).
# The work is done by the scripts in scripts/; this file only names it.
# Everything the targets write (database, secret key, fonts, static files) goes to PRONGSAI_DATA_DIR,
# ./var by default. `make run PORT=8001` serves on another port.

PRONGSAI_DATA_DIR ?= $(CURDIR)/var
export PRONGSAI_DATA_DIR

.PHONY: help install run test

help:
	@echo "make run      install what is missing, load the demo data, serve at http://127.0.0.1:8000"
	@echo "make test     install what is missing, run the tests on SQLite and on PostgreSQL 15"
	@echo "make install  only install what is missing (Debian packages, .venv, fonts)"

install:
	bash scripts/install

run:
	bash scripts/run

test:
	bash scripts/test
