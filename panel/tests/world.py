"""Constants shared by the panel tests (the fixtures themselves live in conftest.py)."""
import socket

PROVIDER_URL = "https://panel.provider.test:8443/"
PROVIDER_HOST = "panel.provider.test:8443"
PASSWORD = "Correct-Horse-Battery-9"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
