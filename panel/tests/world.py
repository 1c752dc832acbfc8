"""Constants shared by the panel tests (the fixtures themselves live in conftest.py)."""
PROVIDER_URL = "https://panel.provider.test:8443/"
PROVIDER_HOST = "panel.provider.test:8443"
PASSWORD = "Correct-Horse-Battery-9"
