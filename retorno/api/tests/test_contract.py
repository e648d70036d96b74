"""The API keeps the contract its OpenAPI schema states.

Schemathesis generates requests for every operation of the schema served at /api/v1/schema/
(valid and invalid bodies, parameters and path ids, unsafe methods included) and checks every
answer: no server error, a documented status, a documented content type and headers, and a body
that matches the documented schema. It runs as four personas, a caseworker at a European desk,
a partner, an M&E officer, and for the operations of grants and monitoring a caseworker at a
national desk (who has grants and follow-ups), over the demo's cases, plans, referrals, grants
and follow-ups, each operation once with generated ids and once with the ids of objects the
persona can see.
"""

import contextlib
import io
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from django.db.models import Q
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.test import APIClient
from schemathesis.checks import positive_data_acceptance
from schemathesis.generation import GenerationMode

from retorno.accounts.actions import create_token
from retorno.cases.models import Case, Handover, Task
from retorno.conftest import acting
from retorno.directory.models import Location, Service
from retorno.grants import access as grants_access
from retorno.grants import actions as grant_actions
from retorno.grants.models import GrantPolicy
from retorno.grants.tests import factories as grant_factories
from retorno.monitoring import access as monitoring_access
from retorno.plans.models import PlanAction
from retorno.referrals.models import Referral

pytestmark = pytest.mark.django_db

# Examples per operation and mode; enough to reach every documented answer of each operation
# while the three personas together stay around a minute.
EXAMPLES = 4
# Positive data acceptance expects every schema-valid body to be accepted; the actions refuse
# some on rules a JSON schema cannot state (a date of birth in the future, a partner that does not
# offer the service), with 400 and the error shape, which the other checks do verify.
EXCLUDED = [positive_data_acceptance]
REACHED = {
    "ana": ["GET /api/v1/cases/{id}/", "GET /api/v1/persons/{id}/", "GET /api/v1/tasks/"],
    "carla": ["GET /api/v1/inbox/", "GET /api/v1/referrals/{id}/"],
    "eva": ["GET /api/v1/organisations/{id}/", "GET /api/v1/directory/services/{id}/"],
}


@contextlib.contextmanager
def in_process_app():
    """Django's WSGI application, answering inside the test's transaction: the connection must
    not be closed at the end of each request, as Django's own test client also arranges."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def demo(settings, personas):
    """The demo's directory, cases, plans and referrals, built through the real actions."""
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    with_grants(personas)
    return personas


def with_grants(personas):
    """The demo cycle's grant policy and national desks' envelopes, if the demo has none, and a
    draft grant of Lucía's at Lima, so that the grants API answers with real objects too."""
    action = first(
        PlanAction.objects.filter(
            goal__dimension="economic",
            goal__plan__status="approved",
            goal__plan__case__owning_desk__code="LIM",
        ).exclude(status="cancelled")
    )
    if action is None:
        return
    case = action.goal.plan.case
    if not GrantPolicy.objects.filter(cycle=case.cycle).exists():
        grant_factories.policy(case.cycle, personas)
        grant_factories.envelope(case.cycle, personas.org("LIM"), personas)
    if not grants_access.grants_visible_to(acting(personas.lucia)).exists():
        grant_actions.draft_grant(
            action,
            actor=acting(personas.lucia),
            grant_type="basic_needs",
            currency="PEN",
            amount=Decimal("1720"),
            rate=Decimal("4.3"),
            purpose="Rent for the first two months",
        )


def token(user) -> str:
    user = acting(user)
    _token, key = create_token(user, actor=user, name="contract", membership=user.membership)
    return key


def first(queryset, *preferred):
    """The first object of the queryset matching the preferred filters, in order, else any."""
    for condition in preferred:
        found = queryset.filter(condition).order_by("pk").first()
        if found is not None:
            return found
    return queryset.order_by("pk").first()


def known_ids(user) -> dict[str, dict[str, str]]:
    """For each kind of path, ids of demo objects, the user's own where they have some, so that
    operations reach their real answers rather than only 404."""
    desk = acting(user).membership.organisation
    case = first(
        Case.objects.all(),
        Q(owning_desk=desk, plans__goals__actions__isnull=False),
        Q(owning_desk=desk),
        Q(plans__goals__actions__isnull=False),
    )
    plan = case.plans.order_by("-number").first()
    action = PlanAction.objects.filter(goal__plan=plan).order_by("pk").first()
    in_case = {
        "consent_id": first(case.consents.all()),
        "entry_id": first(case.journal.all()),
        "document_id": first(case.documents.all()),
        "goal_id": action.goal if action else None,
        "action_id": action,
    }
    ids = {name: str(obj.public_id) for name, obj in in_case.items() if obj is not None}
    ids["id"] = str(case.public_id)
    if getattr(case, "monitoring", None) is not None:
        ids["follow_up_id"] = first(case.follow_ups.all()).public_id
        survey = first(case.surveys.all())
        if survey is not None:
            ids["survey_id"] = survey.public_id
    if plan is not None:
        ids["number"] = str(plan.number)
    service = first(Service.objects.all(), Q(organization__retorno_organisation=desk))
    grant = first(grants_access.grants_visible_to(acting(user)))
    grant_ids = {}
    if grant is not None:
        grant_ids["id"] = grant.public_id
        instalment = first(grant.instalments.all())
        if instalment is not None:
            grant_ids["instalment_id"] = instalment.public_id
    by_prefix = {
        "/cases/": ids,
        "/persons/": {"id": case.person.public_id},
        "/tasks/": {"id": first(Task.objects.all(), Q(desk=desk)).public_id},
        "/handovers/": {
            "id": first(Handover.objects.all(), Q(to_desk=desk), Q(from_desk=desk)).public_id
        },
        "/referrals/": {
            "id": first(
                Referral.objects.all(), Q(service__organization__retorno_organisation=desk)
            ).public_id
        },
        "/organisations/": {"id": desk.public_id},
        "/directory/organisations/": {"id": service.organization.public_id},
        "/directory/services/": {"id": service.public_id},
        "/directory/locations/": {"id": first(Location.objects.all()).public_id},
        "/grants/": grant_ids,
        "/cycles/": {"id": case.cycle.public_id},
        "/monitoring/instruments/": {
            "id": first(monitoring_access.instrument_versions_visible_to(acting(user))).public_id
        },
        "/monitoring/schedules/": {"id": case.cycle.programme.public_id},
        "/monitoring/desks/": {"id": desk.public_id},
    }
    return {prefix: {k: str(v) for k, v in values.items()} for prefix, values in by_prefix.items()}


def ids_for(path: str, ids: dict) -> dict | None:
    for prefix, values in ids.items():
        if path.removeprefix("/api/v1").startswith(prefix):
            return values
    return None


# The operations of the grants, run as well by a caseworker at a national desk (who has grants).
GRANTS = ("grants", "budget", "envelopes", "cycles/{id}/grant-policy", "cases/{id}/grants")


def is_about_grants(path: str) -> bool:
    rest = path.removeprefix("/api/v1/")
    return any(rest.startswith(prefix) for prefix in GRANTS)


# And those of monitoring, whose follow-ups and surveys are a national desk's.
MONITORING = (
    "monitoring/",
    "cases/{id}/monitoring/",
    "cases/{id}/follow-ups/",
    "cases/{id}/surveys/",
)


def is_at_a_national_desk(path: str) -> bool:
    rest = path.removeprefix("/api/v1/")
    return is_about_grants(path) or any(rest.startswith(prefix) for prefix in MONITORING)


def run_contract(schema, key, ids, only=None) -> dict[str, set[int]]:
    """Every operation (or those `only` accepts by path), with generated and known ids, valid
    and invalid data; the statuses each operation answered."""
    failures = []
    answers = {}
    headers = {"Authorization": f"Token {key}"}
    for result in schema.get_all_operations():
        operation = result.ok()
        if only is not None and not only(operation.path):
            continue
        runs = [("generated ids", {}, GenerationMode.POSITIVE)]
        if operation.path_parameters or operation.query or operation.body:
            runs.append(("generated ids", {}, GenerationMode.NEGATIVE))
        if operation.path_parameters:
            known = ids_for(operation.path, ids) or {}
            wanted = {p.name for p in operation.path_parameters}
            if wanted <= set(known):
                fixed = {name: known[name] for name in wanted}
                runs.append(("known ids", fixed, GenerationMode.POSITIVE))
                if operation.query or operation.body:
                    runs.append(("known ids", fixed, GenerationMode.NEGATIVE))
        for label, path_parameters, mode in runs:
            strategy = operation.as_strategy(
                generation_mode=mode, headers=headers, path_parameters=path_parameters or None
            )

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                response = case.call_and_validate(excluded_checks=EXCLUDED)
                answers.setdefault(case.operation.label, set()).add(response.status_code)

            try:
                check()
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} ({mode.value}, {label}):\n{exc}")
    assert not failures, "\n\n".join(failures)
    return answers


@pytest.mark.parametrize("persona", ["ana", "carla", "eva", "lucia"])
def test_every_operation_keeps_the_schema_contract(demo, persona):
    key = token(demo[persona])
    ids = known_ids(demo[persona])
    with in_process_app() as app:
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app)
        answers = run_contract(
            schema, key, ids, only=is_at_a_national_desk if persona == "lucia" else None
        )
    for k, v in sorted(answers.items()):
        print(persona, k, sorted(v))


# Errors outside any operation, and the fixes the contract test found


@pytest.mark.parametrize("method", ["get", "delete", "post"])
@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_path_under_the_api_answers_404_in_the_error_shape(
    personas, settings, method, debug
):
    settings.DEBUG = debug  # Django's HTML debug page answered here with DEBUG on
    response = getattr(APIClient(), method)("/api/v1/nope/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {"code": "not_found", "message": "No se encontró.", "fields": {}}
    }


def test_an_endpoint_asked_without_its_final_slash_is_still_redirected(personas):
    response = APIClient().get("/api/v1/me")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/me/"


def test_every_operation_documents_its_errors_in_the_error_shape():
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    operations = schema.json()["paths"]
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    me = operations["/api/v1/me/"]["get"]["responses"]
    assert sorted(me) == ["200", "401", "403", "406"]
    patch = operations["/api/v1/persons/{id}/"]["patch"]["responses"]
    assert sorted(patch) == ["200", "400", "401", "403", "404", "406", "409", "413", "415"]
    assert all(patch[code]["content"] == error for code in patch if code != "200")


def test_a_page_size_out_of_range_answers_400_naming_it(api_as, personas):
    response = api_as(personas.ana).get("/api/v1/organisations/", {"page_size": "0"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "page_size": ["Enter a whole number from 1 to 200."]
    }


def test_an_unknown_organisation_kind_answers_400(api_as, personas):
    response = api_as(personas.ana).get("/api/v1/organisations/", {"kind": "castle"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["kind"]


def test_a_country_code_of_digits_answers_400_not_500(api_as, personas):
    response = api_as(personas.ana).get("/api/v1/cases/", {"return_country": "\u00b9"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "return_country": ["Enter a country as its two-letter ISO code, for example PE"]
    }


def test_a_body_too_large_answers_413_in_the_error_shape(api_as, demo, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    case = known_ids(demo.ana)["/cases/"]["id"]
    response = api_as(demo.ana).post(
        f"/api/v1/cases/{case}/documents/",
        {"title": "x" * 200},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "too_large", "message": "The request body is too large.", "fields": {}}
    }


def test_a_json_value_of_the_wrong_type_answers_400_naming_the_field(api_as, demo):
    case = known_ids(demo.ana)["/cases/"]["id"]
    body = {"summary": 8168, "duration_minutes": "90", "confidential": 1}
    response = api_as(demo.ana).post(f"/api/v1/cases/{case}/journal/", body, "json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["summary"] == ["Not a valid string."]
    assert fields["duration_minutes"] == ["A valid integer is required."]
    assert fields["confidential"] == ["Must be a valid boolean."]


def test_query_strings_and_forms_still_read_numbers_and_booleans_from_text(api_as, personas):
    response = api_as(personas.ana).get("/api/v1/cases/", {"overdue": "true", "page_size": "5"})
    assert response.status_code == 200
