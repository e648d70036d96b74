"""Ask to be contacted and refer a person: a lead in the right desk's inbox, a thank-you page
that shows nothing of what was sent, every typed value kept on error, and spam held off by the
hidden field, the time token and the rate limit, with nothing stored and no cookie."""

import pytest
from django.test import Client

from retorno.outreach import spam
from retorno.outreach.models import Lead, PublicCount
from retorno.outreach.tests.public_site import token

pytestmark = pytest.mark.django_db

PERSON = {
    "given_names": "Rosa Elena",
    "surnames": "Quispe Huamán",
    "channel": "whatsapp",
    "phone": "+39 333 123 4567",
    "email": "",
    "region": "IT-21",
    "province": "Torino",
    "return_country": "PE",
    "language": "es",
    "consent": "on",
}


def sent(form_name, data, seconds_ago=10):
    return {**data, spam.TOKEN: token(form_name, seconds_ago), spam.HONEYPOT: ""}


def test_the_contact_form_shows_every_field_grouped_regions_and_the_privacy_link(personas):
    page = Client().get("/es/contact/").content.decode()
    for name in ("given_names", "surnames", "phone", "email", "province", "consent"):
        assert f'name="{name}"' in page
    assert 'type="radio" name="channel" value="whatsapp"' in page
    assert 'type="radio" name="language" value="es" id="id_language_1" checked' in page
    # Regions grouped by country, the campaign's four Italian regions first.
    italy = page.index('<optgroup label="Italia">')
    assert italy < page.index("Lombardia") < page.index("Piemonte") < page.index("Liguria")
    assert page.index("Lazio") < page.index("Veneto")
    assert page.index('<optgroup label="España">') > italy
    assert '<option value="PE">Perú</option>' in page
    assert 'href="/es/privacy/"' in page
    assert f'name="{spam.HONEYPOT}"' in page and 'tabindex="-1"' in page
    assert f'name="{spam.TOKEN}"' in page


def test_a_request_becomes_a_lead_at_the_desk_and_the_thanks_page_shows_nothing_of_it(personas):
    client = Client()
    response = client.post("/es/contact/", sent("contact", PERSON))
    assert response.status_code == 302
    assert response["Location"] == "/es/contact/thanks/"
    assert "Set-Cookie" not in response.headers
    lead = Lead.objects.get()
    assert lead.desk == personas.org("MIL")
    assert (lead.source, lead.given_names, lead.region) == ("site", "Rosa Elena", "IT-21")
    thanks = client.get(response["Location"])
    text = thanks.content.decode()
    assert thanks.status_code == 200
    assert "within 3 working days" in Client().get("/en/contact/thanks/").content.decode()
    for what in ("Rosa", "Quispe", "333", lead.reference):
        assert what not in text
    assert "no-store" in thanks["Cache-Control"]
    completions = PublicCount.objects.get(kind="completion", name="contact")
    assert (completions.language, completions.count) == ("es", 1)


def test_errors_keep_everything_typed(personas):
    data = {**PERSON, "channel": "email", "phone": "", "email": "", "consent": ""}
    response = Client().post("/en/contact/", sent("contact", data))
    page = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in page
    assert "Write the email address we should write to." in page
    assert "Tick the box so that we may contact you." in page
    assert 'value="Rosa Elena"' in page and 'value="Quispe Huamán"' in page
    assert 'value="Torino"' in page
    assert '<option value="IT-21" selected>Piemonte</option>' in page
    assert '<option value="PE" selected>' in page
    assert 'value="email" id="id_channel_2" checked' in page
    assert not Lead.objects.exists()


def test_an_organisation_refers_a_person(personas):
    data = {
        **PERSON,
        "region": "ES-MD",
        "referrer_name": "Asociación Rumiñahui",
        "referrer_contact": "Carmen Díaz",
        "referrer_email": "info@ruminahui.example",
        "referrer_phone": "",
    }
    response = Client().post("/es/refer/", sent("refer", data))
    assert response.status_code == 302
    assert response["Location"] == "/es/refer/thanks/"
    lead = Lead.objects.get()
    assert lead.source == "organisation"
    assert lead.referrer_name == "Asociación Rumiñahui"
    assert lead.desk == personas.org("MAD")


def test_a_referral_needs_the_persons_agreement_and_the_organisation(personas):
    data = {**PERSON, "consent": "", "referrer_name": "", "referrer_contact": "Carmen"}
    response = Client().post("/en/refer/", sent("refer", data))
    page = response.content.decode()
    assert response.status_code == 422
    assert "We can contact the person only if they agreed: tick the box." in page
    assert "Write the name of your organisation." in page
    assert 'value="Carmen"' in page
    assert not Lead.objects.exists()


def test_the_hidden_field_filled_is_refused_and_nothing_stored(personas):
    data = {**sent("contact", PERSON), spam.HONEYPOT: "http://spam.example"}
    response = Client().post("/en/contact/", data)
    assert response.status_code == 400
    assert "We could not accept this form." in response.content.decode()
    assert not Lead.objects.exists()
    assert "Set-Cookie" not in response.headers


def test_a_form_sent_too_fast_is_refused(personas, settings):
    settings.RETORNO_FORM_MIN_SECONDS = 3
    response = Client().post("/en/contact/", sent("contact", PERSON, seconds_ago=1))
    assert response.status_code == 400
    assert not Lead.objects.exists()
    response = Client().post("/en/contact/", sent("contact", PERSON, seconds_ago=4))
    assert response.status_code == 302
    assert Lead.objects.count() == 1


def test_a_form_too_old_or_with_a_forged_or_other_forms_token_is_refused(personas):
    too_old = sent("contact", PERSON, seconds_ago=3 * 60 * 60)
    assert Client().post("/en/contact/", too_old).status_code == 400
    forged = {**sent("contact", PERSON), spam.TOKEN: "1700000000:forged"}
    assert Client().post("/en/contact/", forged).status_code == 400
    other_form = sent("signup", PERSON)
    assert Client().post("/en/contact/", other_form).status_code == 400
    assert not Lead.objects.exists()


def test_the_rate_limit_per_address(personas):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for number in range(5):
        data = sent("contact", {**PERSON, "given_names": f"Person {number}"})
        assert client.post("/en/contact/", data).status_code == 302
    response = client.post("/en/contact/", sent("contact", PERSON))
    assert response.status_code == 429
    assert "Too many forms were sent from your connection" in response.content.decode()
    assert Lead.objects.count() == 5
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.post("/en/contact/", sent("contact", PERSON)).status_code == 302


def test_errors_do_not_count_against_the_rate_limit(personas):
    client = Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(6):
        bad = sent("contact", {**PERSON, "given_names": ""})
        assert client.post("/en/contact/", bad).status_code == 422
    assert client.post("/en/contact/", sent("contact", PERSON)).status_code == 302
