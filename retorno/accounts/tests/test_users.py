import pytest
from django.core import mail
from django.urls import reverse

from retorno.accounts import actions
from retorno.accounts.models import Membership, User
from retorno.audit.models import AuditEvent
from retorno.conftest import acting

pytestmark = pytest.mark.django_db


def invite_data(**overrides):
    data = {
        "first_name": "Giulia",
        "last_name": "Verdi",
        "email": "giulia@retorno.example",
        "username": "giulia.milano",
        "role": "caseworker",
        "language": "it",
    }
    data.update(overrides)
    return data


def test_a_caseworker_may_not_manage_users(as_user, personas):
    assert as_user(personas.ana).get(reverse("accounts:users")).status_code == 403


def test_a_coordinator_lists_only_the_people_of_their_desk(as_user, personas):
    page = as_user(personas.bruno).get(reverse("accounts:users")).content.decode()
    assert "Ana Rossi" in page
    assert "Olga Bianchi" in page
    assert "Lucía Mendoza" not in page
    assert "Users (3)" in page


def test_a_coordinator_gets_404_for_someone_of_another_desk(as_user, personas):
    url = reverse("accounts:user", args=[personas.lucia.public_id])
    assert as_user(personas.bruno).get(url).status_code == 404


def test_the_user_list_runs_a_constant_number_of_queries(
    as_user, personas, django_assert_max_num_queries
):
    client = as_user(personas.admin)
    client.get(reverse("accounts:users"))
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("accounts:users")).status_code == 200
    admin = acting(personas.admin)
    for n in range(30):
        actions.invite_user(
            personas.org("LIM"),
            actor=admin,
            username=f"extra{n}",
            email=f"extra{n}@retorno.example",
            first_name="Extra",
            last_name=str(n),
            role="caseworker",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:users"))
    assert "extra29" in response.content.decode()


def test_a_coordinator_invites_a_caseworker_who_gets_an_email(
    as_user, personas, django_capture_on_commit_callbacks
):
    client = as_user(personas.bruno)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_invite"), invite_data())
    assert response.status_code == 302
    giulia = User.objects.get(username="giulia.milano")
    assert not giulia.has_usable_password()
    assert giulia.memberships.get().organisation.code == "MIL"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["giulia@retorno.example"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "Retorno" in mail.outbox[0].subject
    event = AuditEvent.objects.get(verb="user.invited")
    assert event.actor == personas.bruno
    assert event.detail == {"organisation": "MIL", "role": "caseworker"}
    page = client.get(response["Location"]).content.decode()
    assert "Giulia Verdi is invited" in page


def test_the_invitation_is_written_in_the_chosen_language(
    as_user, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_user(personas.bruno).post(reverse("accounts:user_invite"), invite_data(language="es"))
    message = mail.outbox[0]
    assert message.subject != "You are invited to Retorno"
    assert "Retorno" in message.subject
    assert "giulia.milano" in message.body
    assert "Your username is" not in message.body


def test_a_coordinator_cannot_give_the_partner_role(as_user, personas):
    response = as_user(personas.bruno).post(
        reverse("accounts:user_invite"), invite_data(role="partner")
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(username="giulia.milano").exists()


def test_an_invitation_with_mistakes_keeps_what_was_typed(as_user, personas):
    response = as_user(personas.bruno).post(
        reverse("accounts:user_invite"), invite_data(email="not-an-email", first_name="")
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Invite a user" in page
    assert "Enter the person&#x27;s given names" in page
    assert "Enter an email address in the correct format" in page
    assert 'value="Verdi"' in page
    assert 'value="not-an-email"' in page


def test_a_taken_username_is_refused_beside_the_field(as_user, personas):
    response = as_user(personas.bruno).post(
        reverse("accounts:user_invite"), invite_data(username="ana.milano")
    )
    assert "This username is taken" in response.content.decode()


def test_a_coordinator_ends_a_role_and_the_person_loses_access(as_user, client, personas):
    membership = personas.ana.memberships.get()
    coordinator = as_user(personas.bruno)
    url = reverse("accounts:membership_deactivate", args=[membership.public_id])
    assert "Check before you end this role" in coordinator.get(url).content.decode()
    response = coordinator.post(url, {"reason": "Contract ended"})
    assert response.status_code == 302
    personas.ana.refresh_from_db()
    assert personas.ana.is_active is False
    event = AuditEvent.objects.get(verb="membership.deactivated")
    assert event.detail["reason"] == "Contract ended"
    assert event.detail["account_deactivated"] is True


def test_ending_a_role_needs_a_reason(as_user, personas):
    membership = personas.ana.memberships.get()
    url = reverse("accounts:membership_deactivate", args=[membership.public_id])
    response = as_user(personas.bruno).post(url, {"reason": ""})
    assert response.status_code == 422
    assert "Enter the reason" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).is_active


def test_a_coordinator_cannot_end_a_role_at_another_desk(as_user, personas):
    membership = personas.lucia.memberships.get()
    url = reverse("accounts:membership_deactivate", args=[membership.public_id])
    assert as_user(personas.bruno).post(url, {"reason": "x"}).status_code == 404


def test_an_administrator_manages_anyone_and_adds_roles(as_user, personas):
    client = as_user(personas.admin)
    url = reverse("accounts:membership_add", args=[personas.ana.public_id])
    response = client.post(url, {"organisation": personas.org("LIM").pk, "role": "caseworker"})
    assert response.status_code == 302
    assert personas.ana.memberships.filter(is_active=True).count() == 2
    assert AuditEvent.objects.filter(verb="membership.added").exists()


def test_an_administrator_deactivates_an_account(as_user, personas):
    url = reverse("accounts:user_deactivate", args=[personas.lucia.public_id])
    response = as_user(personas.admin).post(url, {"reason": "Left the programme"})
    assert response.status_code == 302
    personas.lucia.refresh_from_db()
    assert not personas.lucia.is_active
    assert AuditEvent.objects.filter(verb="user.deactivated", target_label="lucia.lima").exists()


def test_a_coordinator_cannot_deactivate_a_whole_account(as_user, personas):
    url = reverse("accounts:user_deactivate", args=[personas.ana.public_id])
    assert as_user(personas.bruno).get(url).status_code == 403


def test_a_user_with_two_roles_switches_desk(as_user, personas):
    actions.add_membership(
        personas.ana,
        actor=acting(personas.admin),
        organisation=personas.org("LIM"),
        role="caseworker",
    )
    client = as_user(personas.ana)
    page = client.get("/").content.decode()
    assert "Milan desk · Caseworker" in page
    assert "Switch desk" in page
    lima = personas.ana.memberships.get(organisation__code="LIM")
    client.post(reverse("accounts:switch_desk"), {"membership": str(lima.public_id)})
    assert "Lima national desk · Caseworker" in client.get("/").content.decode()


def test_someone_with_one_role_sees_no_desk_switcher(as_user, personas):
    assert "Switch desk" not in as_user(personas.ana).get("/").content.decode()
