"""The API fuzzed from its own OpenAPI description (app/openapi.yaml) with schemathesis,
in-process (WSGI, no network): every operation, with input that fits the description and
input that does not, anonymous and with the tokens of a school editor and of a curator.

No answer may be a 5xx, and every answer must be one the description documents (status,
content type, body schema). The number of examples is fixed, so the run is bounded.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.test_api_transitions import token_of

EXAMPLES = 15  # per operation, generation mode and caller; with the coverage cases ~2,000 requests
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
RUN = {"cases": 0}


def _cover(schema, operation, mode, headers, known_ids):
    # Schemathesis' coverage phase: deterministic boundary and wrong-type values of every
    # parameter and body field (the largest integers, [] for a string, missing fields...).
    config = schema.config.generation_for(operation=operation)
    for case in schema.iter_coverage_cases(operation, generation_modes=[mode],
                                           generation_config=config):
        _call(case, headers, known_ids)


def _call(case, headers, known_ids):
    RUN["cases"] += 1
    # Two ids in three become a practice that exists (random ids are almost all 404), chosen
    # by the id itself so that a case replays alike; ids that are not integers stay.
    ids = case.path_parameters or {}
    given = ids.get("practice_id")
    if isinstance(given, int) and not isinstance(given, bool) and given % 3:
        ids["practice_id"] = known_ids[given % len(known_ids)]
    case.call_and_validate(headers=headers, checks=CHECKS)


def _fuzz(operation, mode, headers, known_ids):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case):
        _call(case, headers, known_ids)

    run()


@pytest.mark.postgres
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("caller", [None, "school_editor", "curator"])
def test_the_api_answers_every_generated_request_as_documented_and_never_5xx(
        app, add_practice, mode, caller):
    known_ids = [add_practice(status) for status in
                 ("published", "submitted", "promising", "draft", "flagged_for_policy")]
    headers = token_of(app, caller) if caller else {}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    before, failures = RUN["cases"], []
    for operation in operations:
        try:
            _cover(schema, operation, mode, headers, known_ids)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - report every operation
            failures.append(f"{operation.label} (coverage): {str(exc)[:3000]}")
        try:
            _fuzz(operation, mode, headers, known_ids)
        except Unsatisfiable:
            # Nothing can break a description without parameters or body (openapi.json).
            assert mode == GenerationMode.NEGATIVE, operation.label
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - report every operation
            failures.append(f"{operation.label}: {str(exc)[:3000]}")
    assert failures == []
    assert RUN["cases"] - before >= 4 * EXAMPLES  # examples really ran
