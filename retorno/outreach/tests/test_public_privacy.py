"""Nothing a person sent is ever shown on the public site: after a request to be contacted, a
referral and a place at a session, no public page in any language carries their name, phone,
email or reference."""

import pytest
from django.test import Client

from retorno.outreach.actions import public
from retorno.outreach.tests.public_site import publish_site

pytestmark = pytest.mark.django_db


def test_no_lead_or_sign_up_data_on_any_public_page(personas, make_session, make_lead):
    publish_site(personas)
    session = make_session(capacity=1)
    lead = make_lead(given_names="Zenobia", surnames="Wankaquispe", phone="+39 333 999 1111")
    referred = make_lead(
        source="organisation",
        given_names="Evaristo",
        surnames="Mamanicondori",
        referrer_name="Asociación Secreta",
        email="evaristo@example.org",
        channel="email",
    )
    public.sign_up(session, name="Filomena Turpo", email="filomena@example.org", language="es")
    public.sign_up(session, name="Gumercindo Apaza", phone="+39 345 000 0000", language="es")
    secrets = ["Zenobia", "Wankaquispe", "333 999", "Evaristo", "Mamanicondori",
               "Asociación Secreta", "evaristo@", "Filomena", "Turpo", "filomena@",
               "Gumercindo", "Apaza", lead.reference, referred.reference]  # fmt: skip
    paths = ["", "offer/", "eligibility/", "how-it-works/", "faq/", "desks/", "privacy/",
             "guides/", "guides/pe/", "sessions/", f"sessions/{session.public_id}/",
             "sessions/calendar.ics", f"sessions/{session.public_id}/calendar.ics",
             "contact/", "contact/thanks/", "refer/", "refer/thanks/"]  # fmt: skip
    client = Client()
    pages = 0
    for lang in ("it", "es", "pt", "en"):
        for path in paths:
            response = client.get(f"/{lang}/{path}")
            assert response.status_code == 200, path
            text = response.content.decode()
            for secret in secrets:
                assert secret not in text, (path, secret)
            pages += 1
    for path in ("/sitemap.xml", "/robots.txt"):
        text = client.get(path).content.decode()
        assert all(secret not in text for secret in secrets)
    assert pages == 68
