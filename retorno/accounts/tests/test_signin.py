import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.urls import reverse

from retorno.accounts import actions
from retorno.audit.models import AuditEvent
from retorno.conftest import acting

pytestmark = pytest.mark.django_db


def sign_in(client, login, password="retorno-demo"):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_it_signs_in_with_username_and_audits_it(client, personas):
    response = sign_in(client, "ana.milano")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(verb="signin.succeeded")
    assert event.actor == personas.ana
    assert event.organisation_code == "MIL"


def test_it_signs_in_with_email(client, personas):
    response = sign_in(client, "ana.milano@retorno.example")
    assert response.status_code == 302


def test_a_wrong_password_shows_an_error_and_is_audited(client, personas):
    response = sign_in(client, "ana.milano", "wrong-password")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    event = AuditEvent.objects.get(verb="signin.failed")
    assert event.actor_username == "ana.milano"
    assert event.target_label == "ana.milano"


def test_repeated_failures_lock_the_account_for_a_while_and_that_is_audited(client, personas):
    for _ in range(5):
        sign_in(client, "ana.milano", "wrong-password")
    response = sign_in(client, "ana.milano")  # even the right password is refused now
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert AuditEvent.objects.filter(verb="signin.locked", actor_username="ana.milano").exists()
    # Another account from the same address is not locked by Ana's failures.
    assert sign_in(client, "dario.madrid").status_code == 302


def test_a_deactivated_user_cannot_sign_in(client, personas):
    bruno = acting(personas.bruno)
    actions.deactivate_membership(
        personas.ana.memberships.get(), actor=bruno, reason="left the programme"
    )
    response = sign_in(client, "ana.milano")
    assert response.get("Location") != "/"
    assert client.get("/").status_code == 302  # still signed out


def test_a_deactivated_user_is_signed_out_at_once(client, personas):
    client.force_login(personas.ana)
    assert client.get("/").status_code == 200
    actions.deactivate_user(personas.ana, actor=acting(personas.admin), reason="left")
    # Signed out: / sends her to the public site, and a staff page to the sign-in page.
    assert client.get("/")["Location"] == "/en/"
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sign_out_is_a_post_and_is_audited(client, personas):
    client.force_login(personas.ana)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(verb="signin.signed_out", actor=personas.ana).exists()


def test_passwords_are_hashed_with_argon2(settings, personas):
    from retorno import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    personas.ana.set_password("a long and unusual passphrase")
    assert identify_hasher(personas.ana.password).algorithm == "argon2"


def test_a_weak_password_is_refused_with_a_reason(client, personas):
    client.force_login(personas.ana)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "retorno-demo", "password1": "12345678", "password2": "12345678"},
    )
    page = response.content.decode()
    assert "This password is too short" in page
    assert "This password is entirely numeric" in page


def test_password_reset_sends_an_email_with_a_link(client, personas):
    response = client.post(
        reverse("account_reset_password"), {"email": "ana.milano@retorno.example"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_roles_that_must_use_two_factor_are_sent_to_set_it_up(client, settings, personas):
    settings.RETORNO_MFA_REQUIRED_ROLES = ["coordinator", "dpo", "administrator"]
    client.force_login(personas.bruno)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # A caseworker is not required to.
    client.force_login(personas.ana)
    assert client.get("/").status_code == 200


def test_with_an_authenticator_the_coordinator_gets_in(client, settings, personas):
    from allauth.mfa.models import Authenticator

    settings.RETORNO_MFA_REQUIRED_ROLES = ["coordinator"]
    Authenticator.objects.create(
        user=personas.bruno, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client.force_login(personas.bruno)
    assert client.get("/").status_code == 200


def test_the_session_ends_after_inactivity_and_activity_keeps_it(client, personas):
    import time

    from django.contrib.sessions.models import Session

    from retorno import settings as production

    assert production.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(personas.ana)
    client.get("/")
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    session = client.session
    session["_seen"] = int(time.time()) - 120  # the last renewal was two minutes ago
    session.save()
    client.get("/")
    assert Session.objects.get(session_key=key).expire_date > first
    Session.objects.filter(session_key=key).update(expire_date=first.replace(year=2000))
    assert client.get("/").status_code == 302  # an expired session is signed out


def test_session_ended_page_signs_out_and_explains(client, personas):
    client.force_login(personas.ana)
    response = client.get(reverse("session_ended"))
    assert "To protect people" in response.content.decode()
    assert client.get("/").status_code == 302


def test_the_user_and_their_desks_are_read_in_one_query(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from retorno.accounts.backends import AllauthBackend, DjangoBackend

    for backend in (DjangoBackend(), AllauthBackend()):
        with CaptureQueriesContext(connection) as captured:
            user = backend.get_user(personas.ana.pk)
            desks = [m.organisation.code for m in user.loaded_memberships]
        assert user == personas.ana
        assert desks == ["MIL"]
        assert len(captured) == 1
        # Someone with no desk (the administrator) is read as usual; a deactivated user not at all.
        assert backend.get_user(personas.admin.pk) == personas.admin
    actions.deactivate_user(personas.ana, actor=acting(personas.admin), reason="left")
    assert DjangoBackend().get_user(personas.ana.pk) is None


def test_an_ended_role_takes_effect_on_the_next_request(client, personas):
    client.force_login(personas.ana)
    assert "Milan desk · Caseworker" in client.get("/").content.decode()
    actions.deactivate_membership(
        personas.ana.memberships.get(), actor=acting(personas.bruno), reason="moved to Lima"
    )
    page = client.get("/").content.decode()
    assert "Milan desk" not in page


def test_a_language_chosen_on_the_sign_in_page_wins_and_is_saved(client, personas):
    User = type(personas.ana)
    User.objects.filter(pk=personas.ana.pk).update(preferred_language="it")
    client.get(reverse("account_login"))
    client.post(reverse("set_language"), {"language": "es", "next": reverse("account_login")})

    sign_in(client, "ana.milano")

    assert '<html lang="es">' in client.get("/").content.decode()
    personas.ana.refresh_from_db()
    assert personas.ana.preferred_language == "es"
    event = AuditEvent.objects.get(verb="user.language_changed")
    assert event.actor == personas.ana
    assert (event.target_type, event.target_id) == ("accounts.user", str(personas.ana.public_id))
    assert event.changes == {"preferred_language": ["it", "es"]}


def test_without_a_choice_on_the_sign_in_page_the_saved_language_applies(client, personas):
    User = type(personas.ana)
    User.objects.filter(pk=personas.ana.pk).update(preferred_language="it")

    client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es")
    sign_in(client, "ana.milano")

    assert '<html lang="it">' in client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert not AuditEvent.objects.filter(verb="user.language_changed").exists()
