"""One error shape for every API answer that is not a success:

    {"detail": "what went wrong, in one sentence", "errors": [{"field": "rules[0].tiers[1].price", "message": "..."}]}

`errors` lists every problem of a refused body, each naming its field as a path into the body (null: the
record as a whole); it is empty for errors that are about no field (401, 403, 404, 409, 412, 429).
"""
from rest_framework import exceptions, status
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    """The record is the provider's (managed by the provider's inventory): read-only here."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "managed"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class Invalid(exceptions.APIException):
    """A body refused by the forms: `problems` is a list of (field path or None, message)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, problems, what):
        self.problems = list(problems)
        first = self.problems[0]
        summary = "%s: %s" % (first[0], first[1]) if first[0] else first[1]
        more = " (and %d more)" % (len(self.problems) - 1) if len(self.problems) > 1 else ""
        super().__init__("%s refused, nothing was changed: %s%s" % (what, summary, more))


def join(path, key):
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        return "%s[%s]" % (path or "", key)
    if key in ("non_field_errors", None):
        return path
    return "%s.%s" % (path, key) if path else str(key)


def flatten(detail, path=None):
    """DRF's nested error detail as [(field path, message)]."""
    if isinstance(detail, dict):
        return [item for key, value in detail.items() for item in flatten(value, join(path, key))]
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [(path, str(item)) for item in detail]
        return [item for index, value in enumerate(detail) for item in flatten(value, join(path, index))]
    return [(path, str(detail))]


def handle(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Invalid):
        problems, detail = exc.problems, str(exc.detail)
    elif isinstance(exc, exceptions.ValidationError):
        problems = flatten(exc.detail) or [(None, "invalid request")]
        detail = str(Invalid(problems, "request").detail)
    else:
        problems, detail = [], str(exc.detail) if hasattr(exc, "detail") else str(exc)
    response.data = {"detail": detail, "errors": [{"field": field, "message": message}
                                                  for field, message in problems]}
    return response
