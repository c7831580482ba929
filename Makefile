# Two commands do everything on a fresh machine with Python 3.11+:
#   make lab   - create .venv if needed, install, open JupyterLab on the start notebook
#   make test  - create .venv if needed, install test extras, run every test
# and one for a quick check while working:
#   make test-fast - unit tests and doctests only (no kernels, browsers or hubs), under a minute
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
# Re-install whenever a pyproject.toml changes. Learners get course_lib and the `course`
# command (classroom); tests add the extras.
HASH := $(shell cat pyproject.toml teaching-platform/pyproject.toml | cksum | cut -d' ' -f1)
LAB_STAMP := $(VENV)/.lab-$(HASH)
STAMP := $(VENV)/.installed-$(HASH)
# course_lib alone (no platform), installed as a learner's bundle installs it (not editable),
# with a kernel the strict nbval pass executes every lesson in: the one execution of each lesson.
LIB_VENV := .venv-lib
LIB_BIN := $(LIB_VENV)/bin
LIB_KERNEL := course-lib-only
LIB_STAMP := $(LIB_VENV)/.installed
COURSE_LIB_FILES := $(shell find course_lib -type f ! -path '*__pycache__*')

.PHONY: lab test test-fast install lib-venv browser lint exercises-check notebooks benchmarks clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required (none found on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# An editable install carries no shared data: the course's JupyterLab extension and setting
# defaults are linked into the venv's share/jupyter instead (a wheel installs them there).
$(STAMP): $(BIN)/python pyproject.toml teaching-platform/pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e . -e './teaching-platform[test]'
	$(BIN)/python -m classroom.labextension --develop >/dev/null
	rm -f $(VENV)/.installed-* $(VENV)/.lab-*
	touch $(STAMP) $(LAB_STAMP)

$(LAB_STAMP): $(BIN)/python pyproject.toml teaching-platform/pyproject.toml
	@echo "Installing the course into $(VENV) (first run: about a minute)..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e . -e ./teaching-platform
	@$(BIN)/python -m classroom.labextension --develop >/dev/null
	@rm -f $(VENV)/.lab-*
	@touch $(LAB_STAMP)

install: $(STAMP)

$(LIB_BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required (none found on PATH)"; exit 1; }
	$(PYTHON) -m venv $(LIB_VENV)

# The first install brings the dependencies; the second replaces course_lib by the current code
# (same version number, so pip would otherwise keep the old copy). setuptools builds in build/,
# which is removed first so that no module deleted from course_lib lingers in the copy. The
# kernel runs .venv-lib's Python and is registered in .venv too, where nbval looks for it.
$(LIB_STAMP): $(LIB_BIN)/python pyproject.toml $(COURSE_LIB_FILES) $(STAMP)
	rm -rf build
	$(LIB_BIN)/python -m pip install --quiet --disable-pip-version-check .
	$(LIB_BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--force-reinstall .
	$(LIB_BIN)/python -m ipykernel install --prefix $(LIB_VENV) --name $(LIB_KERNEL) \
		--display-name "Python 3 (course_lib only)" >/dev/null
	$(BIN)/jupyter kernelspec install --sys-prefix --replace --name $(LIB_KERNEL) \
		--log-level=WARN $(LIB_VENV)/share/jupyter/kernels/$(LIB_KERNEL)
	touch $(LIB_STAMP)

lib-venv: $(LIB_STAMP)

lab: $(LAB_STAMP)
	$(BIN)/course lab

browser:
	bash tools/ensure_system_packages.sh
	bash tools/ensure_node_packages.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

exercises-check: install
	$(BIN)/course build-exercises --check

test: install lib-venv browser lint exercises-check
	$(BIN)/pytest
	$(BIN)/pytest --nbval notebooks --nbval-kernel-name $(LIB_KERNEL) \
		--nbval-sanitize-with tests/nbval_sanitize.cfg

# The markers are declared in pyproject.toml ([tool.pytest.ini_options]).
test-fast: install
	$(BIN)/pytest -m "not (slow or kernel or browser or hub)"

# Re-execute every lesson in place (after editing a lesson or course_lib).
notebooks: install
	$(BIN)/python tools/execute_notebooks.py

benchmarks: install
	$(BIN)/python benchmarks/threat_scale.py
	$(BIN)/python benchmarks/widget_latency.py
	$(BIN)/python -m benchmarks.widget_latency_browser
	$(BIN)/python benchmarks/grading.py

clean:
	rm -rf $(VENV) $(LIB_VENV) build dist *.egg-info teaching-platform/build teaching-platform/*.egg-info test-artifacts
