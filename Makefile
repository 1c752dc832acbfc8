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

.PHONY: role-docs help venv demo migrate validate plan apply test system-deps unit panel-test lint sanity molecule build-check clean demo-clean demo-stop reliability bench bench-smoke

help:
	@echo "make demo   - install into .venv, migrate the demo panel database, run site.yml on inventory/demo"
	@echo "make test   - everything that proves the project (installs system packages it needs)"
	@echo "make unit | panel-test | lint | sanity | molecule - one part of make test"

$(VENV)/.installed: requirements.txt requirements-dev.txt panel/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt -e './panel[postgresql,mariadb,serve,test]'
	touch $@

# The checkout is the collection: link it where ansible.cfg's collections_path looks.
$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn ../../.. $@

$(HOME_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

venv: $(VENV)/.installed $(COLLECTION_LINK) $(HOME_LINK)

migrate: venv
	$(BIN)/python panel/manage.py migrate --no-input -v0

demo: venv
	$(BIN)/ansible-playbook -i inventory/demo playbooks/site.yml
	$(BIN)/python panel/manage.py status
	@echo "panel (gunicorn): curl --unix-socket .demo/gunicorn.sock http://localhost/healthz; pages answer for the provider's and resellers' hosts:"
	@echo "  curl --unix-socket .demo/gunicorn.sock -H 'Host: panel.demo.test' http://localhost/login/   (through the frontend: https://panel.demo.test:8443/)"

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

system-deps:
	bash .ci/install-system-deps.sh

test: system-deps venv unit panel-test lint sanity build-check molecule reliability bench-smoke

unit: venv
	$(BIN)/pytest

panel-test: venv
	cd panel && $(BIN)/pytest
	$(BIN)/python panel/tests/run_engines.py postgresql mariadb

lint: venv
	$(BIN)/ansible-lint

# ansible-test wants the collection under .../ansible_collections/panelops/reseller: sanity-check a copy of
# the tracked (and new, not ignored) files there, as a git tree of its own (ansible-test lists files with git). Its pip bootstrap is downloaded from a host this network
# cannot reach; a stand-in in its cache makes it use ensurepip and the package index instead.
sanity: venv
	@mkdir -p ~/.ansible/test/cache
	@for v in 24_2; do f=~/.ansible/test/cache/get_pip_$$v.py; [ -f $$f ] || cp tests/support/get_pip_offline.py $$f; done
	rm -rf $(SANITY_ROOT) && mkdir -p $(SANITY_COPY)
	git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C $(SANITY_COPY)
	cd $(SANITY_COPY) && git init -q && git add -A
	cd $(SANITY_COPY) && $(BIN)/ansible-test sanity --venv --python $(ANSIBLE_TEST_PY) --color no

# Build the collection, install it into an empty path and render every module's documentation from there.
build-check: venv
	$(BIN)/pytest -p no:cacheprovider tests/packaging

molecule: venv
	$(BIN)/molecule test --all

# Faults, check mode, secrets, tenancy, TLS quality and hostile input against real servers on free loopback ports
# (docs/security.md). Set RELIABILITY_TMP to keep the scratch deployments somewhere else than the system tmp.
reliability: venv
	$(BIN)/pytest -p no:cacheprovider tests/reliability

# docs/roles/*.md from the roles' meta/argument_specs.yml (tests/unit/test_role_docs.py checks they are current).
role-docs: venv
	$(BIN)/python tools/role_docs.py

# docs/performance.md: site.yml at N = 10, 100, 1000 resellers (full, unchanged, one added, drift --check) and
# the naive per-item playbook at N = 200, medians of 3; table, JSON and chart in bench/results/. Its servers use
# ports 38000, 38080 and 38443. Override e.g. BENCH_ARGS="--sizes 10 --reps 1 --naive-size 10 --naive-reps 1".
BENCH_ARGS ?=
BENCH_WORK ?= $(CURDIR)/.bench-work
bench: venv
	$(BIN)/python -m pip install -q -r bench/requirements.txt
	$(BIN)/python bench/run.py --work $(BENCH_WORK) $(BENCH_ARGS)

# The bench's smallest run (no timing judged): every case works end to end and drift is reported.
bench-smoke: venv
	$(BIN)/python -m pip install -q -r bench/requirements.txt
	$(BIN)/python bench/run.py --work $(BENCH_WORK) --results $(BENCH_WORK)/results --label smoke \
	  --sizes 10 --reps 1 --naive-size 10 --naive-reps 1

clean:
	rm -rf $(VENV) .collections .ansible-home tests/output .bench-work
