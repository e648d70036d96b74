import pytest
from django.urls import reverse

from retorno.accounts.models import Organisation
from retorno.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW = {
    "code": "GEN",
    "name": "Genoa desk",
    "kind": "european_desk",
    "country": "IT",
    "city": "Genova",
    "time_zone": "Europe/Rome",
    "help_email": "",
    "help_phone": "",
    "referral_reply_days": "10",
}


@pytest.mark.parametrize("who", ["ana", "bruno", "pia", "eva", "carla"])
def test_only_administrators_manage_organisations(as_user, personas, who):
    client = as_user(personas[who])
    assert client.get(reverse("accounts:organisations")).status_code == 403
    assert client.post(reverse("accounts:organisation_create"), NEW).status_code == 403


def test_an_administrator_adds_an_organisation(as_user, personas):
    response = as_user(personas.admin).post(reverse("accounts:organisation_create"), NEW)
    assert response.status_code == 302
    organisation = Organisation.objects.get(code="GEN")
    assert organisation.name == "Genoa desk"
    assert AuditEvent.objects.filter(verb="organisation.created", target_label="GEN").exists()


def test_a_duplicate_code_is_refused_and_the_form_keeps_the_input(as_user, personas):
    response = as_user(personas.admin).post(
        reverse("accounts:organisation_create"), {**NEW, "code": "MIL"}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Another organisation already uses this code." in page
    assert 'value="Genoa desk"' in page


def test_editing_records_the_changed_fields(as_user, personas):
    lima = personas.org("LIM")
    url = reverse("accounts:organisation_edit", args=[lima.public_id])
    client = as_user(personas.admin)
    form = client.get(url).context["form"]
    data = {**form.initial, "help_phone": "+51 1 555 0100"}
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(verb="organisation.updated")
    assert event.changes == {"help_phone": ["", "+51 1 555 0100"]}


def test_two_people_editing_at_once_cannot_overwrite_each_other(as_user, personas):
    lima = personas.org("LIM")
    url = reverse("accounts:organisation_edit", args=[lima.public_id])
    client = as_user(personas.admin)
    stale = dict(client.get(url).context["form"].initial)
    # Someone else saves first.
    assert client.post(url, {**stale, "city": "Lima Metropolitana"}).status_code == 302
    response = client.post(url, {**stale, "help_phone": "+51 1 555 0199"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Someone else changed this organisation" in page
    assert "admin changed city" in page
    assert 'value="+51 1 555 0199"' in page  # what I typed is still there
    lima.refresh_from_db()
    assert lima.city == "Lima Metropolitana"
    assert lima.help_phone == ""
