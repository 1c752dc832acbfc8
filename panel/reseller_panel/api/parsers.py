"""Request bodies: JSON read with core.numbers.loads, so prices stay exact decimals, NaN and Infinity are refused
and nesting is bounded, exactly as the dashboard reads the JSON typed into its forms."""
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from reseller_panel.core import numbers

# The largest legitimate body is a brand with a 256 KiB logo in base64 (342 KiB); the dashboard's own limit for
# form posts is settings.DATA_UPLOAD_MAX_MEMORY_SIZE (256 KiB), and uploads go through multipart there.
MAX_BODY_BYTES = 512 * 1024


class ExactJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BODY_BYTES:
            raise ParseError("the request body is larger than %d bytes" % MAX_BODY_BYTES)
        try:
            return numbers.loads(raw.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            raise ParseError("the request body is not %s text" % encoding) from None
        except ValueError as error:
            raise ParseError("the request body is not valid JSON: %s" % str(error)[:200]) from None
