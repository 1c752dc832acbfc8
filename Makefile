# panelops.reseller — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
COLLECTION_LINK := .collections/ansible_collections/panelops/reseller
SANITY_ROOT := $(CURDIR)/tests/output/sanity-tree
SANITY_COPY := $(SANITY_ROOT)/ansible_collections/panelops/reseller
ANSIBLE_TEST_PY ?= 3.11
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
# Tools (molecule, ansible-lint) install the project's collection into $ANSIBLE_HOME/collections unless a link
# to the checkout is already there; a per-checkout home with such a link keeps stale copies from shadowing it.
export ANSIBLE_HOME := $(CURDIR)/.ansible-home
HOME_LINK := .ansible-home/collections/ansible_collections/panelops/reseller
export PATH := $(BIN):$(PATH)

.PHONY: role-docs help venv venv-dev demo demo-deps migrate validate plan apply renew test system-deps unit panel-test lint sanity molecule build-check clean demo-clean demo-stop reliability bench bench-smoke newest fleet

help:
	@echo "make demo   - install what the demo needs (nginx, .venv), run site.yml on inventory/demo"
	@echo "make test   - everything that proves the project (installs the system packages it needs)"
	@echo "make renew  - renew the certificates that are due and install them (playbooks/renew.yml; daily timer)"
	@echo "make unit | panel-test | lint | sanity | molecule | reliability | fleet | newest - one part of make test"

# The demo needs only the collection's own requirements and the panel with gunicorn; make test adds the tools.
$(VENV)/.installed-run: requirements.txt panel/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt -e './panel[serve]'
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt -e './panel[postgresql,mariadb,serve,test]'
	touch $@

# The checkout is the collection: link it where ansible.cfg's collections_path looks.
$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn ../../.. $@

$(HOME_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

# venv: what running the collection and the demo needs (also a CI runner's validate / plan / apply);
# venv-dev: the test tools on top.
venv: $(VENV)/.installed-run $(COLLECTION_LINK) $(HOME_LINK)

venv-dev: $(VENV)/.installed-dev $(COLLECTION_LINK) $(HOME_LINK)

migrate: venv
	$(BIN)/python panel/manage.py migrate --no-input -v0

# The Debian packages the demo runs (nginx), installed when missing (as root, else through sudo).
demo-deps:
	@bash .ci/install-system-deps.sh demo

DEMO_HINT := make demo failed: read the first error above (it names the task, the host and the variable), fix it and run make demo again; make demo-stop stops what it started.
demo:
	@$(MAKE) --no-print-directory demo-deps venv || { echo "$(DEMO_HINT)"; exit 1; }
	@$(BIN)/ansible-playbook -i inventory/demo playbooks/site.yml || { echo "$(DEMO_HINT)"; exit 1; }
	@$(BIN)/python panel/manage.py status
	@echo "the demo answers on 127.0.0.1 only; try:"
	@echo "  curl --cacert .demo/pki/ca/ca.crt --resolve cloud.acme.test:8443:127.0.0.1 https://cloud.acme.test:8443/signup/"

# Stop the demo's nginx and panel (both started by site.yml), by their pid files.
demo-stop:
	-@[ -s .demo/nginx/nginx.pid ] && kill -QUIT "$$(cat .demo/nginx/nginx.pid)" 2>/dev/null && echo "stopped the demo nginx" || true
	-@[ -x $(BIN)/python ] && echo '{"state_dir": "$(CURDIR)/.demo"}' | $(BIN)/python roles/panel/files/panelctl.py stop || true

demo-clean: demo-stop
	rm -rf .demo

# What a CI pipeline runs (docs/ci.md): validation alone, a dry run with diff, then the real run.
INVENTORY ?= inventory/demo
ANSIBLE_ARGS ?=
validate: venv
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/validate.yml $(ANSIBLE_ARGS)

plan: venv
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/site.yml --check --diff $(ANSIBLE_ARGS)

apply: venv
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/site.yml $(ANSIBLE_ARGS)

# Certificate renewal only (DNS check, certificates, frontends; no database seeding): for a daily timer.
renew: venv
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/renew.yml $(ANSIBLE_ARGS)

system-deps:
	bash .ci/install-system-deps.sh

test: system-deps venv-dev unit panel-test lint sanity build-check molecule reliability fleet bench-smoke newest

unit: venv-dev
	$(BIN)/pytest

panel-test: venv-dev
	cd panel && $(BIN)/pytest
	$(BIN)/python panel/tests/run_engines.py postgresql mariadb

lint: venv-dev
	$(BIN)/ansible-lint

# ansible-test wants the collection under .../ansible_collections/panelops/reseller: sanity-check a copy of
# the tracked (and new, not ignored) files there, as a git tree of its own (ansible-test lists files with git). Its pip bootstrap is downloaded from a host this network
# cannot reach; a stand-in in its cache makes it use ensurepip and the package index instead.
SANITY_DEPS ?= venv-dev
sanity: $(SANITY_DEPS)
	@mkdir -p ~/.ansible/test/cache
	@for v in 24_2 25_2; do f=~/.ansible/test/cache/get_pip_$$v.py; [ -f $$f ] || cp tests/support/get_pip_offline.py $$f; done
	rm -rf $(SANITY_ROOT) && mkdir -p $(SANITY_COPY)
	git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C $(SANITY_COPY)
	cd $(SANITY_COPY) && git init -q && git add -A
	cd $(SANITY_COPY) && $(BIN)/ansible-test sanity --venv --python $(ANSIBLE_TEST_PY) --color no

# Build the collection, install it into an empty path and render every module's documentation from there.
build-check: venv-dev
	$(BIN)/pytest -p no:cacheprovider tests/packaging

# Every scenario; an Ansible warning or deprecation in their output fails the run (tests/support/no_warnings.py).
molecule: venv-dev
	$(BIN)/python tests/support/no_warnings.py $(BIN)/molecule test --all

# The newest supported ansible-core on Python 3.13, next to 2.19 on 3.11 everywhere else: the unit and playbook
# tests, the default scenario (warnings fail it) and ansible-test sanity, from a venv of its own.
NEWEST_ANSIBLE ?= 2.21
PYTHON_NEWEST ?= $(firstword $(shell ls -d $$(pyenv root 2>/dev/null)/versions/3.13*/bin/python3.13 2>/dev/null | sort -rV) $(shell command -v python3.13 2>/dev/null))
VENV_NEWEST := .venv-newest
BIN_NEWEST := $(CURDIR)/$(VENV_NEWEST)/bin

$(VENV_NEWEST)/.installed: requirements.txt requirements-dev.txt panel/pyproject.toml
	@[ -n "$(PYTHON_NEWEST)" ] || { echo "make newest needs Python 3.13: install it (pyenv install 3.13) or set PYTHON_NEWEST"; exit 1; }
	$(PYTHON_NEWEST) -m venv $(VENV_NEWEST)
	$(BIN_NEWEST)/python -m pip install -q --upgrade pip
	$(BIN_NEWEST)/python -m pip install -q 'ansible-core==$(NEWEST_ANSIBLE).*' -r requirements-dev.txt \
	  -e './panel[postgresql,mariadb,serve,test]'
	touch $@

newest: $(VENV_NEWEST)/.installed $(COLLECTION_LINK) $(HOME_LINK)
	$(BIN_NEWEST)/ansible --version | sed -n 1p  # sed reads to the end: no broken pipe
	PATH=$(BIN_NEWEST):$$PATH $(BIN_NEWEST)/pytest -p no:cacheprovider
	PATH=$(BIN_NEWEST):$$PATH $(BIN_NEWEST)/python tests/support/no_warnings.py $(BIN_NEWEST)/molecule test -s default
	$(MAKE) --no-print-directory sanity SANITY_DEPS= BIN=$(BIN_NEWEST) ANSIBLE_TEST_PY=3.13 SANITY_ROOT=$(CURDIR)/tests/output/sanity-tree-newest

# Faults, check mode, secrets, tenancy, TLS quality and hostile input against real servers on free loopback ports
# (docs/security.md). Set RELIABILITY_TMP to keep the scratch deployments somewhere else than the system tmp.
reliability: venv-dev
	$(BIN)/pytest -p no:cacheprovider tests/reliability

# The production fleet (tests/fleet): six hosts on loopback addresses of their own, each with its own sshd and
# root directory, site.yml over SSH from a copy of inventory/sample (docs/fleet.md). Runs as root; every port is
# picked free; leaves nothing behind. Set FLEET_TMP to build it somewhere else than the system tmp.
fleet: venv-dev
	$(BIN)/pytest -p no:cacheprovider tests/fleet

# docs/roles/*.md from the roles' meta/argument_specs.yml (tests/unit/test_role_docs.py checks they are current).
role-docs: venv-dev
	$(BIN)/python tools/role_docs.py

# docs/performance.md: a one-task calibration playbook, site.yml at N = 10, 1000, 10 000 resellers (full,
# unchanged, renew, one added, drift --check) and at the naive size, the naive per-item playbook at N = 200,
# medians of 3; table, goals (met / missed / not measured), JSON and chart in bench/results/. A missed goal is
# reported, never a failure: the bench fails only when a case breaks. Its servers use ports 38000, 38080 and
# 38443. Override e.g. BENCH_ARGS="--sizes 10 --reps 1 --naive-size 10 --naive-reps 1".
BENCH_ARGS ?=
BENCH_WORK ?= $(CURDIR)/.bench-work
bench: venv-dev
	$(BIN)/python -m pip install -q -r bench/requirements.txt
	$(BIN)/python bench/run.py --work $(BENCH_WORK) $(BENCH_ARGS)

# The bench's smallest run (no timing judged): every case works end to end and drift is reported.
bench-smoke: venv-dev
	$(BIN)/python -m pip install -q -r bench/requirements.txt
	$(BIN)/python bench/run.py --work $(BENCH_WORK) --results $(BENCH_WORK)/results --label smoke \
	  --sizes 10 --reps 1 --naive-size 10 --naive-reps 1
	@echo "bench-smoke: passed. Its sizes are too small for the goals, so most are not measured or missed;"
	@echo "bench-smoke: it fails only on a broken case, never on a goal (make bench reports them)."

clean:
	rm -rf $(VENV) $(VENV_NEWEST) .collections .ansible-home tests/output .bench-work
