import csv
import io

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from retorno.accounts import actions
from retorno.audit.events import record
from retorno.audit.models import AppendOnlyError, AuditEvent
from retorno.conftest import acting

pytestmark = pytest.mark.django_db


def test_an_event_keeps_who_when_where_and_what_changed(rf, personas):
    admin = acting(personas.admin)
    lima = personas.org("LIM")
    actions.update_organisation(lima, actor=admin, city="Callao")
    event = AuditEvent.objects.get(verb="organisation.updated")
    assert event.actor == personas.admin
    assert event.actor_username == "admin"
    assert event.organisation_code == "COORD"
    assert event.role == "administrator"
    assert event.target_label == "LIM"
    assert event.target_id == str(lima.public_id)
    assert event.changes == {"city": ["Lima", "Callao"]}


def test_the_request_id_and_address_are_recorded(client, personas):
    client.post(
        reverse("account_login"),
        {"login": "ana.milano", "password": "retorno-demo"},
        HTTP_X_REQUEST_ID="req-12345678",
        REMOTE_ADDR="203.0.113.9",
    )
    event = AuditEvent.objects.get(verb="signin.succeeded")
    assert event.request_id == "req-12345678"
    assert event.ip_address == "203.0.113.9"


def test_the_username_survives_the_deletion_of_the_user(personas):
    ana = acting(personas.ana)
    record("token.created", actor=ana, target=ana)
    personas.ana.delete()
    event = AuditEvent.objects.get(verb="token.created")
    assert event.actor_username == "ana.milano"


def test_no_code_path_changes_or_deletes_an_event(personas):
    event = record("signin.succeeded", actor=acting(personas.ana))
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_the_database_itself_refuses_to_change_an_event(personas):
    event = record("signin.succeeded", actor=acting(personas.ana))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET verb = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).verb == "signin.succeeded"


def test_the_database_itself_refuses_to_delete_an_event(personas):
    event = record("signin.succeeded", actor=acting(personas.ana))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_djangos_base_manager_refuses_too(personas):
    event = record("signin.succeeded", actor=acting(personas.ana))
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(pk=event.pk).update(verb="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(pk=event.pk)._update({"verb": "x"})
    assert AuditEvent.objects.get(pk=event.pk).verb == "signin.succeeded"


@pytest.mark.django_db(transaction=True)
def test_only_a_flush_of_the_whole_database_empties_the_trail_and_the_guard_comes_back():
    from django.core.management import call_command

    record("signin.failed", actor=None, actor_username="someone")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    event = record("signin.failed", actor=None, actor_username="someone")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET verb = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("who", ["ana", "bruno", "lucia", "mateo", "carla", "eva", "olga"])
def test_nobody_but_the_dpo_and_administrators_sees_the_trail(as_user, personas, who):
    client = as_user(personas[who])
    assert client.get(reverse("audit:events")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403
    assert 'href="/audit/"' not in client.get("/").content.decode()


@pytest.mark.parametrize("who", ["pia", "admin"])
def test_the_dpo_and_administrators_browse_the_trail(as_user, personas, who):
    record("signin.succeeded", actor=acting(personas.ana))
    page = as_user(personas[who]).get(reverse("audit:events")).content.decode()
    assert "Signed in" in page
    assert "ana.milano" in page


def test_the_trail_filters_by_user_organisation_verb_and_date(as_user, personas):
    record("signin.succeeded", actor=acting(personas.ana))
    record("signin.succeeded", actor=acting(personas.lucia))
    record("token.created", actor=acting(personas.lucia), target=personas.lucia)
    client = as_user(personas.pia)
    page = client.get(reverse("audit:events"), {"user": "lucia.lima"}).content.decode()
    assert "lucia.lima" in page and "ana.milano" not in page
    page = client.get(reverse("audit:events"), {"organisation": "MIL"}).content.decode()
    assert "ana.milano" in page and "lucia.lima" not in page
    page = client.get(reverse("audit:events"), {"verb": "token.created"}).content.decode()
    assert ">API token created</td>" in page and ">Signed in</td>" not in page
    page = client.get(reverse("audit:events"), {"person": "lucia.lima"}).content.decode()
    assert ">API token created</td>" in page and "ana.milano" not in page
    page = client.get(
        reverse("audit:events"), {"date_from": "2001-01-01", "date_to": "2001-01-02"}
    ).content.decode()
    assert "No events match these filters." in page


def test_an_impossible_date_range_is_explained(as_user, personas):
    response = as_user(personas.pia).get(
        reverse("audit:events"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert "The end date must be on or after the start date" in response.content.decode()


def test_the_event_list_runs_a_constant_number_of_queries(
    as_user, personas, django_assert_max_num_queries
):
    record("signin.succeeded", actor=acting(personas.ana))
    client = as_user(personas.pia)
    client.get(reverse("audit:events"))
    with django_assert_max_num_queries(20) as baseline:
        assert client.get(reverse("audit:events")).status_code == 200
    for _ in range(60):
        record("signin.succeeded", actor=acting(personas.ana))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("audit:events"))
    assert response.status_code == 200


def test_the_export_says_what_it_holds_then_downloads_and_is_audited(as_user, personas):
    record("signin.succeeded", actor=acting(personas.ana))
    record("signin.succeeded", actor=acting(personas.lucia))
    client = as_user(personas.pia)
    check = client.get(reverse("audit:export"), {"organisation": "MIL"}).content.decode()
    assert "Export 1 event" in check
    assert "This export is itself recorded" in check
    response = client.post(reverse("audit:export"), {"organisation": "MIL"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][1] == "Who"
    assert len(rows) == 2
    assert rows[1][1] == "ana.milano"
    event = AuditEvent.objects.get(verb="audit.exported")
    assert event.actor == personas.pia
    assert event.detail["rows"] == 1
    assert event.detail["filters"] == {"organisation": "MIL"}


def _exported_rows(client):
    response = client.post(reverse("audit:export"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_login_typed_as_a_formula_is_not_a_formula_in_the_export(client, as_user, personas):
    login = "=1+2+cmd|' /C calc'!A0"
    client.post(reverse("account_login"), {"login": login, "password": "x"})
    rows = _exported_rows(as_user(personas.pia))
    failed = next(row for row in rows if row["What"] == "Sign-in failed")
    assert not failed["Who"].startswith(("=", "+", "-", "@"))
    assert "cmd" not in failed["Who"]


def test_an_unknown_login_is_not_kept_in_the_trail_but_a_known_one_names_the_account(
    client, personas
):
    # A password typed into the login field must not land in the audit trail.
    client.post(reverse("account_login"), {"login": "Secret-Passw0rd!", "password": "x"})
    client.post(reverse("account_login"), {"login": "Secret-Passw0rd!", "password": "y"})
    client.post(reverse("account_login"), {"login": "ANA.MILANO@retorno.example", "password": "x"})
    unknown, again = AuditEvent.objects.filter(
        verb="signin.failed", detail__account_exists=False
    ).order_by("id")
    assert "Secret" not in unknown.actor_username
    assert "Passw0rd" not in str(unknown.detail)
    assert unknown.actor_username.startswith("unknown:")
    assert again.actor_username == unknown.actor_username  # the DPO sees repeated attempts
    known = AuditEvent.objects.get(verb="signin.failed", detail__account_exists=True)
    assert known.actor_username == "ana.milano"
    assert known.target_label == "ana.milano"


def test_a_request_id_header_is_kept_only_if_made_of_safe_characters(client, as_user, personas):
    formula = '=HYPERLINK("http://127.0.0.1/x","click")'
    response = client.post(
        reverse("account_login"),
        {"login": "ana.milano", "password": "retorno-demo"},
        HTTP_X_REQUEST_ID=formula,
    )
    assert response["X-Request-ID"] != formula
    event = AuditEvent.objects.get(verb="signin.succeeded")
    assert event.request_id == response["X-Request-ID"]
    assert len(event.request_id) == 32 and event.request_id.isalnum()
    rows = _exported_rows(as_user(personas.pia))
    signed_in = next(row for row in rows if row["What"] == "Signed in")
    assert signed_in["Request id"] == event.request_id


def test_a_directory_name_written_as_a_formula_is_text_in_the_export(as_user, personas):
    from retorno.directory.tests.factories import organization

    organization(personas, name='=HYPERLINK("http://127.0.0.1/x","click")')
    rows = _exported_rows(as_user(personas.pia))
    created = next(row for row in rows if row["Action code"] == "directory.organization_created")
    assert created["Record"] == '\'=HYPERLINK("http://127.0.0.1/x","click")'
