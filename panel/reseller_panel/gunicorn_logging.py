"""gunicorn's access log without the secrets of set-password and password-reset links (log_redaction).

panelctl.py starts gunicorn with `--logger-class reseller_panel.gunicorn_logging.RedactingLogger`."""
from gunicorn import glogging

from reseller_panel.log_redaction import redact


class RedactingLogger(glogging.Logger):
    def atoms(self, resp, req, environ, request_time):
        # Every text atom, not only the path: the request line, the Referer and any header may repeat the URL.
        atoms = super().atoms(resp, req, environ, request_time)
        return {name: redact(value) if isinstance(value, str) else value for name, value in atoms.items()}
