# Two entry points for a fresh clone: `make lesson` and `make test`.
# Both work in a private virtual environment (.venv) so nothing else on the machine changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Containers and CI machines often run as root, where Jupyter refuses to start without this.
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lesson test prereqs docs bench suite

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The README's tour: the lesson as a student in JupyterLab, then the teacher's report.
lesson: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[lab,teacher]"
	@echo ""
	@echo "Next steps"
	@echo "  As a student: answer the lesson's questions in the JupyterLab tab that opens;"
	@echo "    the first question asks your name. Your log: notebooks/guessfirst-logs/"
	@echo "  As the teacher, in another terminal: a simulated class, and its report:"
	@echo "    $(BIN)/python docs/example_class.py demo-logs && $(BIN)/guessfirst report demo-logs -o report.html"
	@echo "    your own answers: $(BIN)/guessfirst report notebooks/guessfirst-logs -o mine.html"
	@echo "  Ctrl-C twice here stops JupyterLab."
	@echo ""
	$(BIN)/jupyter lab $(AS_ROOT) notebooks/fractions-and-rates.ipynb

# The Ralph LRS the xAPI push is tested against, at the version its answers were studied on.
RALPH := .venv-ralph/bin/ralph

$(RALPH):
	$(PYTHON) -m venv .venv-ralph
	.venv-ralph/bin/python -m pip install -q "ralph-malph[lrs]==5.1.0" click-option-group requests

# Node, Chromium and Java, checked before anything long runs: what is missing is named with
# the Debian package that brings it. (Listed first, `make test` runs it first.)
prereqs:
	@$(PYTHON) tools/prereqs.py

# The manual, warnings as errors (a broken reference fails it).
SPHINX := $(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

docs: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[docs]"
	$(SPHINX)

test: prereqs $(BIN)/python $(RALPH)
	$(BIN)/python -m pip install -q -e ".[test]"
	cd js && npm ci --no-audit --no-fund --loglevel=error && npm run build && npm run typecheck && npm test
	cd hub && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(SPHINX)
	@# The hostile-input suite runs beside the rest, on the second core; its report follows.
	@$(BIN)/python -m pytest -s -m hostile tests/test_hostile_suite.py > .hostile.log 2>&1 & \
	  hostile=$$!; \
	  $(BIN)/python -m pytest -rs -m "not hostile"; rest=$$?; \
	  wait $$hostile; mine=$$?; \
	  echo "--- the hostile-input suite ---"; cat .hostile.log; \
	  exit $$(( rest || mine ))

# One marked suite alone: make suite MARK=browser (or hostile).
suite: $(BIN)/python
	$(BIN)/python -m pytest -m $(MARK)

bench: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"
	$(BIN)/python bench/run.py
