"""Request bodies: JSON read with core.numbers.loads, so prices stay exact decimals, NaN and Infinity are refused
and nesting is bounded, exactly as the dashboard reads the JSON typed into its forms."""
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from reseller_panel.core import numbers


class ExactJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        # The panel's one limit on bodies (PANEL_MAX_REQUEST_BODY, the frontends' client_max_body_size too).
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError("the request body is larger than %d bytes (PANEL_MAX_REQUEST_BODY)" % limit)
        try:
            return numbers.loads(raw.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            raise ParseError("the request body is not %s text" % encoding) from None
        except ValueError as error:
            raise ParseError("the request body is not valid JSON: %s" % str(error)[:200]) from None
