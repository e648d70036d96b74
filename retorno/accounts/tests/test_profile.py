import pytest
from django.urls import reverse

from retorno.accounts import actions
from retorno.accounts.models import ApiToken
from retorno.audit.models import AuditEvent
from retorno.conftest import acting

pytestmark = pytest.mark.django_db


def test_the_profile_shows_roles_and_two_factor_status(as_user, personas):
    page = as_user(personas.ana).get(reverse("accounts:profile")).content.decode()
    assert "Milan desk · Caseworker" in page
    assert "Two-factor authentication" in page


def test_a_new_token_is_shown_once(as_user, personas):
    client = as_user(personas.ana)
    membership = personas.ana.memberships.get()
    response = client.post(
        reverse("accounts:token_create"), {"name": "report script", "membership": membership.pk}
    )
    assert response.status_code == 302
    first = client.get(reverse("accounts:profile")).content.decode()
    token = ApiToken.objects.get(user=personas.ana)
    assert "Copy it now" in first
    assert token.prefix in first
    second = client.get(reverse("accounts:profile")).content.decode()
    assert "Copy it now" not in second
    assert "report script" in second
    assert AuditEvent.objects.filter(verb="token.created", actor=personas.ana).exists()


def test_a_token_needs_a_name(as_user, personas):
    membership = personas.ana.memberships.get()
    response = as_user(personas.ana).post(
        reverse("accounts:token_create"), {"name": "", "membership": membership.pk}
    )
    assert response.status_code == 422
    assert "Enter a name for the token" in response.content.decode()


def test_a_token_cannot_act_under_someone_elses_role(as_user, personas):
    response = as_user(personas.ana).post(
        reverse("accounts:token_create"),
        {"name": "sneaky", "membership": personas.bruno.memberships.get().pk},
    )
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_revoking_a_token_is_audited(as_user, personas):
    ana = acting(personas.ana)
    token, _key = actions.create_token(ana, actor=ana, name="x", membership=ana.membership)
    response = as_user(personas.ana).post(reverse("accounts:token_revoke", args=[token.public_id]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(verb="token.revoked").exists()


def test_nobody_else_can_revoke_my_token(as_user, personas):
    ana = acting(personas.ana)
    token, _key = actions.create_token(ana, actor=ana, name="x", membership=ana.membership)
    url = reverse("accounts:token_revoke", args=[token.public_id])
    assert as_user(personas.admin).post(url).status_code == 404


def test_the_language_choice_is_remembered_for_the_user(client, personas):
    client.force_login(personas.ana)
    client.post(reverse("set_language"), {"language": "pt", "next": "/"})
    personas.ana.refresh_from_db()
    assert personas.ana.preferred_language == "pt"
    # A new browser (no cookie) still gets Portuguese for Ana.
    from django.test import Client

    fresh = Client(HTTP_ACCEPT_LANGUAGE="it")
    fresh.force_login(personas.ana)
    assert '<html lang="pt">' in fresh.get("/").content.decode()


def test_a_first_visit_follows_the_browser_language(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es-PE,es;q=0.9")
    assert '<html lang="es">' in response.content.decode()
