# One entry point for learners, instructors and CI.
#   make lab    set up .venv if needed and open the course in JupyterLab
#   make test   set up .venv if needed and run every check (what CI runs)
# Python 3.11, 3.12 and 3.13 are supported, each with its own requirements-py3.X.lock. A new venv gets the newest
# of them on PATH that runs, or the one PYTHON names (make test PYTHON=python3.12); tools/setup_env.sh chooses.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?=
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
HOST   ?= 127.0.0.1
NO_BROWSER ?=
TOKEN  ?=
# Quiet TensorFlow in every process started from make (kernels get the same through their kernelspec).
export TF_CPP_MIN_LOG_LEVEL := 2
export TF_ENABLE_ONEDNN_OPTS := 0
export PYTHONHASHSEED := 0
# nbgrader shells out to tools of the venv (alembic, jupyter): put them first on PATH.
export PATH := $(abspath $(VENV))/bin:$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv lab test build lint format unit notebooks assignments drift claims claims-table points-table release solutions \
        class bench bench-grading lessons browser-deps sandbox postgres site walkthroughs lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

# The venv installs the lock of its own Python. venv-python (order-only: it never forces a reinstall) stops a run
# that asks with PYTHON for another Python than the existing venv has.
$(STAMP): $(wildcard requirements-py*.lock) pyproject.toml tools/setup_env.sh lab/overrides.json | venv-python
	PYTHON="$(PYTHON)" VENV="$(VENV)" bash tools/setup_env.sh
	@touch $@

.PHONY: venv-python locks smoke smoke-run
venv-python:
	@$(if $(PYTHON),PYTHON="$(PYTHON)" VENV="$(VENV)" bash tools/setup_env.sh --check)

venv: $(STAMP)  ## create .venv and install the pinned stack

# The lab's kernels draw figures inline: `env -u` keeps the Agg backend exported above out of them.
# LANG=fr (or a French locale such as fr_FR.UTF-8 in the environment) opens the French edition, fr/, in JupyterLab
# with its French language pack (the locale is set in a settings folder of its own under build/), started in fr/
# so that nbgrader's extensions read fr/nbgrader_config.py (the French course).
# A learner's lab has the Assignments list and Validate but not Formgrader, Create Assignment or the course list
# (hub/learner/, the settings of the hub's learners); ROLE=instructor opens the lab with all of nbgrader's tools.
ROLE ?= learner
LAB_ROLE_CONFIG := $(if $(filter instructor,$(ROLE)),,JUPYTER_CONFIG_PATH="$(CURDIR)/hub/learner$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))")
FRENCH := $(filter fr%,$(LANG))
LAB_FR_SETTINGS := $(CURDIR)/build/lab-fr/settings
lab: $(STAMP)  ## open the course in JupyterLab (ROLE=instructor: with Formgrader; LANG=fr: the French edition; PORT=8888 NO_BROWSER=1 TOKEN=... HOST=127.0.0.1)
	$(if $(FRENCH),mkdir -p "$(LAB_FR_SETTINGS)/@jupyterlab/translation-extension" && \
	    printf '{"locale": "fr_FR"}\n' > "$(LAB_FR_SETTINGS)/@jupyterlab/translation-extension/plugin.jupyterlab-settings")
	cd "$(CURDIR)$(if $(FRENCH),/fr)" && $(if $(FRENCH),JUPYTERLAB_SETTINGS_DIR="$(LAB_FR_SETTINGS)") $(LAB_ROLE_CONFIG) \
	$(abspath $(BIN))/jupyter lab --ServerApp.root_dir="$(CURDIR)$(if $(FRENCH),/fr)" --ServerApp.ip=$(HOST) --ServerApp.port=$(PORT) \
	    $(if $(NO_BROWSER),--no-browser) $(if $(TOKEN),--IdentityProvider.token=$(TOKEN)) \
	    $(if $(filter 0,$(shell id -u)),--allow-root)

# Some stages run side by side: the lessons (two kernels) with the maintainer walkthroughs (mostly one process),
# the claims (one training at a time) with the site (one lesson executed at a time), the browser test with the
# hub test.
# The solutions are not run again under nbval here: make drift has just executed them afresh and required exactly
# the committed outputs (stricter than nbval's comparison), and tests/test_assignments.py checks those outputs
# hold no error and nothing on stderr. make notebooks runs them under nbval too.
test: $(STAMP)  ## run every check: lint, unit tests, assignments, drift, lessons, claims, class, site, browser, hub, grading costs
	$(MAKE) lint
	$(MAKE) unit
	$(MAKE) assignments NO_WALKTHROUGHS=1
	$(MAKE) drift
	$(MAKE) --output-sync=target -j 2 lessons walkthroughs
	$(MAKE) --output-sync=target -j 2 claims site
	$(MAKE) class
	$(MAKE) --output-sync=target -j 2 browser hub-test
	$(MAKE) bench-grading

# Lessons and exercises are edited in course/ (jupytext percent scripts); every notebook folder is built from them.
# The French edition (fr/) comes from the same files: its markdown cells are the French twins (see tools/build.py).
EDITIONS := . fr
build: $(STAMP)  ## rebuild notebooks/ and source/ (both editions) from course/, then release/, and solutions/ where source/ changed
	$(BIN)/python -m tools.build
	$(foreach e,$(EDITIONS),$(BIN)/python -m tools.build_assignments release solutions --stale --root $(e) \
	    $(foreach a,$(ASSIGNMENTS),-a $(a)) &&) true

lint: $(STAMP)  ## read-only checks: ruff, notebooks stripped and matching course/, README tables, quoted figures
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/nbstripout --verify --keep-id $(foreach e,$(EDITIONS),$(e)/notebooks/*.ipynb $(e)/source/*/*.ipynb \
	    $(e)/release/*/*.ipynb)
	$(BIN)/python -m tools.build --check
	$(BIN)/python -m tools.points_table --check
	$(BIN)/python -m tools.claims_table --check
	$(BIN)/python -m tools.quotes

format: $(STAMP)  ## apply ruff to the code and the authoring files, then rebuild notebooks/ and source/
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/python -m tools.build

UNIT_WORKERS ?= 2
unit: $(STAMP)  ## unit tests of the helpers package, the tools and the environment (UNIT_WORKERS=2 processes)
	$(BIN)/pytest -n $(UNIT_WORKERS) tests --ignore=tests/test_assignments.py --ignore=tests/test_class.py \
	    --ignore=tests/test_claims.py --ignore=tests/test_browser.py --ignore=tests/test_site.py \
	    --ignore=tests/test_walkthroughs.py --ignore=tests/test_grading_input.py --ignore=tests/test_hub.py

empty :=
space := $(empty) $(empty)
assignments: $(STAMP) sandbox  ## nbgrader checks of both editions (sources pass, blank releases fail, no leaks), maintainer walkthroughs (ASSIGNMENTS=...: those only)
	$(BIN)/pytest -n $(UNIT_WORKERS) tests/test_assignments.py \
	    $(if $(strip $(ASSIGNMENTS)),-k "$(subst $(space), or ,$(strip $(ASSIGNMENTS)))")
	$(if $(strip $(ASSIGNMENTS))$(filter 1,$(NO_WALKTHROUGHS)),,$(MAKE) walkthroughs)

walkthroughs: $(STAMP) sandbox  ## the README's maintainer walkthroughs, on a temporary copy of the course
	$(BIN)/pytest tests/test_walkthroughs.py

# Two notebooks at a time (NB_WORKERS), each one's cells in order in one kernel (nbval needs --dist loadscope).
NB_WORKERS ?= 2
lessons: $(STAMP)  ## execute the lesson notebooks of both editions (nbval lax), NB_WORKERS at a time
	$(BIN)/pytest -p no:cacheprovider -n $(NB_WORKERS) --dist loadscope --nbval-lax notebooks fr/notebooks

notebooks: lessons  ## execute the lessons (nbval lax) and the solutions (nbval strict) of both editions
	$(BIN)/pytest -p no:cacheprovider -n $(NB_WORKERS) --dist loadscope --nbval solutions fr/solutions \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg

claims: $(STAMP)  ## every claim of the chapter, measured over 3 seeds
	$(BIN)/pytest tests/test_claims.py

claims-table: $(STAMP)  ## measure the claims, publish them in docs/claims.json and rewrite the README table
	$(BIN)/python -m tools.claims_table --readme README.md

points-table: $(STAMP)  ## rewrite the points-per-assignment table in README.md from source/
	$(BIN)/python -m tools.points_table

release: $(STAMP)  ## regenerate release/ from source/ in both editions (nbgrader generate_assignment)
	$(foreach e,$(EDITIONS),$(BIN)/python -m tools.build_assignments release --root $(e) &&) true

solutions: $(STAMP)  ## regenerate solutions/ from source/ in both editions (nbgrader generate_solution, executed)
	$(foreach e,$(EDITIONS),$(BIN)/python -m tools.build_assignments solutions --root $(e) &&) true

# The editions are regenerated side by side (one process each: executing a solution uses about one core).
drift: $(STAMP)  ## fail if release/ or solutions/ (both editions) differ from what source/ generates
	@set -e; pids=(); for e in $(EDITIONS); do \
	    $(BIN)/python -m tools.build_assignments release solutions --root $$e & pids+=($$!); done; \
	for pid in "$${pids[@]}"; do wait $$pid; done
	git diff --exit-code --stat -- release solutions fr/release fr/solutions
	test -z "$$(git status --porcelain -- release solutions fr/release fr/solutions)"

class: $(STAMP) sandbox postgres  ## the fixture class (English on SQLite, French on PostgreSQL, two workers), then bad input and a killed worker
	$(BIN)/pytest tests/test_class.py tests/test_grading_input.py

# The instructor's grading run with nbgrader (tools/classroom.py). Optional: COURSE_DIR (default: here),
# EXCHANGE (default: COURSE_DIR/exchange), DB (gradebook URL, default: sqlite COURSE_DIR/gradebook.db; for
# PostgreSQL postgresql+psycopg://user:password@host:5432/gradebook), ASSIGNMENTS="01_overfitting ..." (default:
# all), WORKERS=N and SHARD=I/N and REGRADE=1 (autograde), CELL_TIMEOUT (seconds per cell when autograding),
# UNSAFE_NO_SANDBOX=1 (autograde without the bubblewrap sandbox: UNSAFE, see the README).
GRADE := $(BIN)/python -m tools.classroom $(if $(COURSE_DIR),--course "$(COURSE_DIR)") \
         $(if $(EXCHANGE),--exchange "$(EXCHANGE)") $(if $(DB),--db "$(DB)") \
         $(if $(CELL_TIMEOUT),--cell-timeout $(CELL_TIMEOUT)) $(if $(filter-out 0,$(UNSAFE_NO_SANDBOX)),--unsafe-no-sandbox)
.PHONY: grade-setup grade-release grade-collect grade-autograde grade-feedback grade-export

grade-setup: $(STAMP)  ## grading: assignments and students in the gradebook (STUDENTS=students.csv)
	$(GRADE) setup --students "$(STUDENTS)"

grade-release: $(STAMP)  ## grading: generate the assignments and release them to the exchange
	$(GRADE) release $(ASSIGNMENTS)

grade-collect: $(STAMP)  ## grading: collect the submissions from the exchange
	$(GRADE) collect $(ASSIGNMENTS)

grade-autograde: $(STAMP)  ## grading: autograde the submissions not graded yet (WORKERS=N at a time, SHARD=I/N, REGRADE=1: all)
	$(GRADE) autograde $(ASSIGNMENTS) $(if $(WORKERS),--workers $(WORKERS)) $(if $(SHARD),--shard $(SHARD)) \
	    $(if $(filter-out 0,$(REGRADE)),--regrade)

grade-feedback: $(STAMP)  ## grading: generate the feedback and release it to the exchange
	$(GRADE) feedback $(ASSIGNMENTS)

grade-export: $(STAMP)  ## grading: grades.csv (totals) and grades_by_cell.csv (OUT=grades.csv)
	$(GRADE) export --out "$(or $(OUT),grades.csv)"

postgres:  ## install PostgreSQL's server (Debian's package, apt-get as root) for the gradebook tests, unless present
	bash tools/install_postgres.sh

sandbox:  ## install bubblewrap (Debian's package, apt-get as root) and check it can start the grading sandbox here
	bash tools/install_sandbox.sh

browser-deps: $(STAMP)  ## install Debian's chromium for the browser test (no browser downloads)
	bash tools/install_browser.sh

browser: browser-deps  ## the learner's path in real JupyterLab, and the course site, driven by headless Chromium
	$(BIN)/pytest -m browser tests/test_browser.py tests/test_site.py

# The course on JupyterHub on this machine, started as root (tools/hub.py, hub/jupyterhub_config.py): local
# accounts (created when missing, with a random password printed once and kept in HUB_STATE/accounts.txt),
# nbgrader's shared exchange, the instructor's course folder ~/course. Learners get the Assignments list and
# Validate, the instructor Formgrader too. HUB_ARGS passes more options (--hub-api-port, --proxy-api-port).
.PHONY: hub-deps hub hub-test
INSTRUCTOR ?= instructor
LEARNERS   ?= learner1 learner2
HUB_IP     ?= 127.0.0.1
HUB_PORT   ?= 8000
HUB_STATE  ?= build/hub/state
HUB_ARGS   ?=
hub-deps:  ## install the hub's proxy (configurable-http-proxy, pinned in hub/package-lock.json) with npm ci
	bash tools/install_hub.sh

hub: $(STAMP) hub-deps  ## run JupyterHub for a class, as root; Ctrl-C stops (INSTRUCTOR=... LEARNERS="..." HUB_IP=127.0.0.1 HUB_PORT=8000 EXCHANGE=/srv/nbgrader/exchange)
	$(BIN)/python -m tools.hub serve --instructor "$(INSTRUCTOR)" --learners "$(LEARNERS)" --ip "$(HUB_IP)" \
	    --port "$(HUB_PORT)" --state "$(HUB_STATE)" --exchange "$(or $(EXCHANGE),/srv/nbgrader/exchange)" $(HUB_ARGS)

hub-test: $(STAMP) hub-deps sandbox browser-deps  ## two learners and the instructor on the course's JupyterHub, in headless Chromium
	$(BIN)/pytest -m hub tests/test_hub.py

site: $(STAMP)  ## the course site: executed lessons, exercises, claims and bench pages in build/site/html (cached)
	$(BIN)/python -m tools.site

# In make test: one full submission graded three ways (the lessons' and solutions' times are in make bench).
bench-grading: $(STAMP) sandbox  ## autograde one full submission with the sandbox and checker, without each: fails if either costs more than its budget
	$(BIN)/python -m tools.bench --only autograde --strict-grading --out build/bench

bench: $(STAMP) sandbox  ## time and memory of every notebook and one full autograde (with and without the sandbox), against the floor (BENCH_ARGS=--publish)
	$(BIN)/python -m tools.bench --out build/bench $(BENCH_ARGS)

# One lock per supported Python, each resolved for real: requirements.in installed into a fresh venv of that
# Python, then frozen. tensorflow-cpu (Linux x86-64) gets its twin pin for every other platform.
LOCK_HEADER = \# Full pin list of the course environment for Python $$v (generated by \`make lock PYTHON=python$$v\` \
from requirements.in; do not edit by hand).\n\# tools/setup_env.sh installs it into a venv of Python $$v (make lab, \
make test, make smoke, CI); environment.yml for conda.
lock:  ## re-resolve requirements.in into requirements-py3.X.lock for one Python (PYTHON=python3.12; needs the network)
	@set -e; py=$$(PYTHON="$(PYTHON)" bash tools/setup_env.sh --python); \
	v=$$("$$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])'); env=build/lockenv-py$$v; \
	echo "Resolving requirements.in for Python $$v ($$py) into requirements-py$$v.lock"; \
	rm -rf $$env && "$$py" -m venv $$env; \
	$$env/bin/pip install -q -r requirements.in; \
	( printf '%b\n' "$(LOCK_HEADER)"; $$env/bin/pip freeze --exclude-editable | \
	  grep -v -E '^(pip|setuptools|wheel)==' | sort | \
	  sed 's/^tensorflow_cpu==\(.*\)$$/tensorflow-cpu==\1 ; sys_platform == "linux" and platform_machine == "x86_64"\ntensorflow==\1 ; sys_platform != "linux" or platform_machine != "x86_64"/' ) > $$env.lock; \
	mv $$env.lock requirements-py$$v.lock

locks:  ## re-resolve every supported Python's lock (python3.11, python3.12, python3.13 must run or be in pyenv)
	$(MAKE) lock PYTHON=python3.11
	$(MAKE) lock PYTHON=python3.12
	$(MAKE) lock PYTHON=python3.13

# CI runs the whole suite on one Python (make test) and this smoke on the others: the lock installs into a fresh
# venv (build/smoke-py3.X, never .venv), a lesson runs under nbval and an assignment is autograded by nbgrader.
smoke:  ## fresh venv of PYTHON under build/, one lesson under nbval, one assignment autograded (PYTHON=python3.12)
	@set -e; py=$$(PYTHON="$(PYTHON)" bash tools/setup_env.sh --python); \
	v=$$("$$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])'); start=$$(date +%s); \
	rm -rf build/smoke-py$$v; \
	$(MAKE) --no-print-directory smoke-run PYTHON="$$py" VENV=build/smoke-py$$v; \
	echo "smoke on Python $$v passed in $$(( $$(date +%s) - start )) s (install included)"

smoke-run: $(STAMP) sandbox
	$(BIN)/python -c "import sys, tensorflow as tf, keras; print('Python', sys.version.split()[0], 'TensorFlow', tf.__version__, 'Keras', keras.__version__)"
	$(BIN)/pytest -p no:cacheprovider --nbval-lax notebooks/01_overfitting.ipynb
	$(BIN)/pytest -p no:cacheprovider tests/test_assignments.py -k en-01_overfitting

clean:  ## remove the environment, build products and nbgrader's runtime folders
	rm -rf $(VENV) build .pytest_cache .ruff_cache gradebook.db submitted autograded feedback
	find . -name __pycache__ -prune -exec rm -rf {} +
