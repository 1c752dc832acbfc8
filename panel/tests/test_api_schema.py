"""schemathesis against the OpenAPI schema the panel serves: generated requests (valid and invalid ones) to
every operation, with a write token of reseller A; no answer is a server error, and every answer matches the
schema (status code, content type, headers, body). Runs on every engine the panel suite runs on.

Names drawn at random almost never name a record, so half the cases are steered onto records that exist: the
reseller's own, the provider's managed one (409), another reseller's (404), with a valid currency now and then.
"""
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings as examples, strategies as st

from api_client import API, token_for
from world import PROVIDER_HOST

CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.status_code_conformance,
          schemathesis.checks.content_type_conformance, schemathesis.checks.response_headers_conformance,
          schemathesis.checks.response_schema_conformance, schemathesis.checks.negative_data_rejection,
          schemathesis.checks.ignored_auth]
EXAMPLES = 30


@pytest.fixture
def in_test_transaction():
    """Requests served in-process keep the test's database connection (and its transaction) open, as Django's
    own test client arranges: a real WSGI handler would close it at the end of every request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def provider_host_app():
    django_app = get_wsgi_application()

    def app(environ, start_response):
        # As the frontends send it: the provider's host, where the API is served.
        environ["HTTP_HOST"] = PROVIDER_HOST
        return django_app(environ, start_response)
    return app


def steer(case, names, steered):
    """Point half the cases at existing records (and valid currencies), so writes reach the forms and succeed."""
    if not steered:
        return
    if case.path_parameters and "name" in case.path_parameters:
        kind = "configurations" if "/configurations/" in case.operation.path else "plans"
        case.path_parameters["name"] = names[kind]
    if case.path_parameters and "id" in case.path_parameters:
        case.path_parameters["id"] = names["client"]
    if isinstance(case.body, dict):
        if "currency" in case.body:
            case.body["currency"] = "EUR"
            # Random rules are (almost) never valid ones; the rules' own checks have their tests.
            case.body["rules"] = []
        if "plan" in case.body:
            case.body["plan"] = names["plans"]


def test_the_api_matches_its_schema(world, settings, in_test_transaction):
    # Hundreds of requests a minute: the rate limit (tested on its own) must not turn them all into 429s.
    settings.REST_FRAMEWORK = dict(settings.REST_FRAMEWORK, DEFAULT_THROTTLE_RATES={"api_token": "100000/min"})
    token = token_for(world["a"]["user"])
    schema = schemathesis.openapi.from_wsgi(API + "openapi.json", provider_host_app())
    choices = st.fixed_dictionaries({
        "plans": st.sampled_from(["plan-of-a", "managed-plan-of-a", "plan-of-b", "wholesale"]),
        "configurations": st.sampled_from(["conf-of-a", "conf-of-b"]),
        "client": st.sampled_from([world["a"]["end_client"].pk, world["b"]["end_client"].pk])})
    statuses = set()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(), names=choices, steered=st.booleans())
        @examples(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def check(case, names, steered):
            steer(case, names, steered)
            response = case.call_and_validate(headers={"Authorization": "Bearer " + token}, checks=CHECKS)
            statuses.add((operation.label, response.status_code))
        check()
    labels = {label for label, _status in statuses}
    assert len(labels) == 14, labels
    # The generated requests reached the interesting answers, not only 400 and 404.
    for expected in [("PUT /reseller/api/v1/plans/{name}", 200), ("PUT /reseller/api/v1/configurations/{name}", 200),
                     ("DELETE /reseller/api/v1/plans/{name}", 200), ("POST /reseller/api/v1/quote", 200),
                     ("GET /reseller/api/v1/clients/{id}", 200), ("PUT /reseller/api/v1/brand", 201)]:
        assert expected in statuses, (expected, sorted(statuses))
