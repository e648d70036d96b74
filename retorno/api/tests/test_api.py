import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from retorno.accounts import actions
from retorno.conftest import acting

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_in_the_error_shape(personas):
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "error": {
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
            "fields": {},
        }
    }


def test_a_bad_token_gets_401(personas):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_errors_speak_the_language_of_accept_language(personas):
    response = APIClient().get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["error"]["message"] == (
        "Las credenciales de autenticación no se proveyeron."
    )


def test_me_says_who_i_am_and_as_what(api_as, personas):
    body = api_as(personas.lucia).get("/api/v1/me/").json()
    assert body["username"] == "lucia.lima"
    assert body["id"] == str(personas.lucia.public_id)
    assert body["current_membership"]["role"] == "caseworker"
    assert body["current_membership"]["organisation"]["code"] == "LIM"


def test_organisations_are_listed_with_count_next_previous_results(api_as, personas):
    body = api_as(personas.ana).get("/api/v1/organisations/", {"page_size": 5}).json()
    assert body["count"] == 16
    assert body["next"].endswith("page=2&page_size=5")
    assert body["previous"] is None
    assert [o["code"] for o in body["results"]] == ["ASU", "BOG", "BSB", "CFPLIM", "COORD"]
    assert set(body["results"][0]) == {
        "id",
        "code",
        "name",
        "kind",
        "country",
        "city",
        "time_zone",
        "is_active",
    }


def test_organisations_filter_by_kind_and_country(api_as, personas):
    api = api_as(personas.ana)
    body = api.get("/api/v1/organisations/", {"kind": "national_desk", "country": "pe"}).json()
    assert [o["code"] for o in body["results"]] == ["LIM"]


def test_the_organisation_list_runs_a_constant_number_of_queries(
    api_as, personas, django_assert_max_num_queries
):
    api = api_as(personas.ana)
    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/organisations/", {"page_size": 200})
    assert response.status_code == 200
    assert response.json()["count"] == len(personas.organisations)


def test_an_organisation_by_id_and_a_404_in_the_error_shape(api_as, personas):
    api = api_as(personas.ana)
    lima = personas.org("LIM")
    assert api.get(f"/api/v1/organisations/{lima.public_id}/").json()["code"] == "LIM"
    missing = api.get(f"/api/v1/organisations/{uuid.uuid4()}/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    nowhere = api.get("/api/v1/no-such-endpoint/")
    assert nowhere.status_code == 404
    assert nowhere.json()["error"]["code"] == "not_found"


def test_an_organisation_is_never_found_by_its_sequential_id(api_as, personas):
    api = api_as(personas.ana)
    assert api.get(f"/api/v1/organisations/{personas.org('LIM').pk}/").status_code == 404


def test_a_deactivated_users_token_stops_working_at_once(api_as, personas):
    api = api_as(personas.ana)
    assert api.get("/api/v1/me/").status_code == 200
    actions.deactivate_user(personas.ana, actor=acting(personas.admin), reason="left")
    assert api.get("/api/v1/me/").status_code == 401


def test_a_revoked_token_stops_working(personas):
    ana = acting(personas.ana)
    token, key = actions.create_token(ana, actor=ana, name="x", membership=ana.membership)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200
    actions.revoke_token(token, actor=ana)
    assert api.get("/api/v1/me/").status_code == 401


def test_the_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/me/" in text
    assert "/api/v1/organisations/{id}/" in text


def test_the_schema_and_docs_are_served_with_local_assets(as_user, personas):
    client = as_user(personas.ana)
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "https://" not in docs


def test_issue_token_prints_the_key_and_nothing_else(personas, capsys):
    call_command("issue_token", "lucia.lima")
    key = capsys.readouterr().out.strip()
    assert "\n" not in key and " " not in key and len(key) > 30
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").json()["username"] == "lucia.lima"


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("levels", [1000, 500, 33])
def test_a_too_deeply_nested_body_is_refused_in_the_error_shape(api_as, personas, levels):
    response = api_as(personas.ana).generic(
        "POST", "/api/v1/cases/", _nested(levels), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "parse_error",
            "message": "The request body is nested more than 32 levels deep; send flatter JSON.",
            "fields": {},
        }
    }


def test_a_deep_body_is_refused_on_an_update_too_and_brackets_in_texts_do_not_count(
    api_as, personas
):
    from retorno.cases.tests.factories import register

    case = register(personas.ana)
    api = api_as(personas.ana)
    url = f"/api/v1/cases/{case.public_id}/"
    body = '{"priority": ' + _nested(2000) + "}"
    response = api.generic("PATCH", url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    response = api.patch(url, {"priority": "high", "note": "[" * 100}, format="json")
    assert response.status_code == 200


def test_every_api_view_reads_json_through_the_depth_limited_parser():
    from django.urls import get_resolver
    from rest_framework.parsers import JSONParser as DRFJSONParser

    from retorno.api.parsers import JSONParser

    views = [
        p.callback.cls
        for p in get_resolver("retorno.api.urls").url_patterns
        if hasattr(p.callback, "cls")
    ]
    assert len(views) > 20
    for view in views:
        json_parsers = [p for p in view.parser_classes if issubclass(p, DRFJSONParser)]
        assert all(p is JSONParser for p in json_parsers), view


TWO_FACTOR_FIRST = (
    "Your role requires two-factor authentication: set it up in Retorno's web app (Your "
    "account, Two-factor authentication) before using the API."
)


def test_a_token_of_a_role_that_requires_two_factor_needs_it_set_up(api_as, settings, personas):
    from allauth.mfa.models import Authenticator

    coordinator = api_as(personas.bruno)  # issued before the requirement was switched on
    caseworker = api_as(personas.ana)
    settings.RETORNO_MFA_REQUIRED_ROLES = ["coordinator", "dpo", "administrator"]
    response = coordinator.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "two_factor_required", "message": TWO_FACTOR_FIRST, "fields": {}}
    }
    assert coordinator.post("/api/v1/cases/", {}, format="json").status_code == 403
    assert caseworker.get("/api/v1/me/").status_code == 200  # not required for caseworkers
    Authenticator.objects.create(
        user=personas.bruno, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert coordinator.get("/api/v1/me/").status_code == 200


def test_the_two_factor_message_speaks_the_language_of_accept_language(api_as, settings, personas):
    coordinator = api_as(personas.bruno)
    settings.RETORNO_MFA_REQUIRED_ROLES = ["coordinator"]
    message = coordinator.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="es").json()["error"]["message"]
    assert message.startswith("Su rol requiere la autenticación en dos pasos")


def test_no_token_is_created_before_two_factor_is_set_up(as_user, settings, personas):
    from retorno.accounts.models import ApiToken

    settings.RETORNO_MFA_REQUIRED_ROLES = ["coordinator"]
    bruno = acting(personas.bruno)
    with pytest.raises(actions.ActionError) as refused:
        actions.create_token(bruno, actor=bruno, name="script", membership=bruno.membership)
    with translation.override("en"):
        assert str(refused.value) == TWO_FACTOR_FIRST
    response = as_user(personas.bruno).post(
        reverse("accounts:token_create"), {"name": "script", "membership": bruno.membership.pk}
    )
    assert response["Location"] == reverse("mfa_activate_totp")  # the page sends them to set it up
    assert not ApiToken.objects.exists()


def test_the_depth_is_measured_outside_strings_in_one_pass():
    from retorno.api.parsers import depth

    assert depth('{"a": "x[y\\"]", "b": [1, "\\\\"], "c": [[2]]}') == 3
    assert depth('["unterminated [[[[') == 1
    # Escaped quotes and no closing quote: rescanning from every quote would take hours here.
    assert depth('["' + '\\"' * 200_000) == 1
