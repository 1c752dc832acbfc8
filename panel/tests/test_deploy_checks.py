"""`manage.py check --deploy` with the production settings (what the panel role writes) reports nothing."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

PANEL_DIR = Path(__file__).resolve().parents[1]


def test_deploy_checks_report_nothing(tmp_path):
    env = {"PATH": os.environ["PATH"], "PANEL_STATE_DIR": str(tmp_path), "PANEL_DB_ENGINE": "sqlite",
           "PANEL_DB_PATH": str(tmp_path / "panel.sqlite3"), "PANEL_SECRET_KEY": secrets.token_urlsafe(50),
           "PANEL_TRUSTED_PROXIES": "127.0.0.1,::1", "PANEL_SMTP_HOST": "smtp.provider.test",
           "PANEL_MAIL_FROM": "panel@provider.test"}
    proc = subprocess.run([sys.executable, str(PANEL_DIR / "manage.py"), "check", "--deploy", "--fail-level",
                           "DEBUG"], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "System check identified no issues" in proc.stdout
