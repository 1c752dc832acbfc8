# -*- coding: utf-8 -*-
# Copyright: (c) 2026, panelops.reseller contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run_summary callback inside a real ansible-playbook run (tls_certificates issuing from the internal CA)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
BIN = os.path.dirname(sys.executable)

PLAYBOOK = """
- name: Certificates only
  hosts: localhost
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Issue the certificates
      panelops.reseller.tls_certificates:
        store: "%(store)s"
        provider_url: https://panel.example.test/
        resellers:
          - {name: acme, state: present, enduser_panel_url: "https://cloud.acme.test/", plan: wholesale}
          - {name: initech, state: suspended, enduser_panel_url: "https://cloud.initech.test/"}
"""


def run(tmp_path, *extra, **env_extra):
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAYBOOK % {"store": str(tmp_path / "pki")})
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1", **env_extra)
    if "PANEL_REPORT_DIR" not in env_extra:
        env.pop("PANEL_REPORT_DIR", None)
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)] + list(extra),
                          capture_output=True, text=True, env=env, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_summary_printed_and_written_to_the_report_dir(tmp_path):
    reports = tmp_path / "reports"
    out = run(tmp_path, PANEL_REPORT_DIR=str(reports))
    assert "PANELOPS RUN SUMMARY" in out
    assert "2 reseller(s) (1 present, 1 suspended): 2 changed, 0 unchanged - applied" in out
    report = json.loads((reports / "run-summary.json").read_text())
    rows = dict((row["reseller"], row) for row in report["resellers"])
    assert rows["acme"]["changes"] == ["certificate created"]
    assert rows["acme"]["issuer"] == "panelops.reseller internal CA"
    assert rows["acme"]["plan"] == "wholesale"
    assert rows["initech"]["state"] == "suspended"
    assert report["provider"]["fqdn"] == "panel.example.test"
    markdown = (reports / "run-summary.md").read_text()
    assert "| acme | present | https://cloud.acme.test/ |" in markdown
    # Private keys stay in the store.
    key = (tmp_path / "pki" / "certs" / "cloud.acme.test" / "privkey.pem").read_text()
    assert key.strip().splitlines()[1] not in out + markdown

    out = run(tmp_path, "--check", PANEL_REPORT_DIR=str(reports))
    report = json.loads((reports / "run-summary.json").read_text())
    assert report["check_mode"] is True
    assert [row["summary"] for row in report["resellers"]] == ["unchanged", "unchanged"]


def test_display_can_be_turned_off_and_no_dir_means_no_file(tmp_path):
    out = run(tmp_path, PANEL_REPORT_DISPLAY="false")
    assert "PANELOPS RUN SUMMARY" not in out
    assert "run summary written" not in out
    assert not (tmp_path / "reports").exists()
