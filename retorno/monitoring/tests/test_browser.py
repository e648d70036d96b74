"""Issue 11, item 10, in Chromium on a 360 px phone, in Spanish: Lucía records a failed phone
attempt at a follow-up, then a home visit with the survey; the case page shows the new scores,
and the case is at risk on her My work and on Mateo's desk monitoring page. The baseline survey
was submitted at reception, through the factories."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from retorno.accounts.actions import set_preferred_language
from retorno.monitoring.models import ContactAttempt, FollowUp, Survey
from retorno.monitoring.tests import factories as f
from retorno.testing.browser import axe_violations, sign_in
from retorno.testing.leftovers import english_on_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBMIT = "main form[method=post] button[type=submit]"


def es(message, **values):
    with translation.override("es"):
        return gettext(message) % values if values else gettext(message)


def es_plural(one, other, n, **values):
    with translation.override("es"):
        return ngettext(one, other, n) % {"counter": n, **values}


def sign_out(page):
    page.click("header button[type=submit]")
    page.wait_for_load_state()


def submitted(page, selector=SUBMIT):
    page.locator(selector).first.click()
    page.wait_for_load_state()
    assert not page.locator(".error-summary").count(), page.inner_text(".error-summary")


def test_a_failed_attempt_then_a_home_visit_with_the_survey_puts_the_case_at_risk(
    live_server, phone, personas
):
    for user in (personas.lucia, personas.mateo):
        set_preferred_language(user, actor=user, language="es")
    case = f.lima_case(personas)
    definition = f.default_definition()
    f.submitted_survey(case, personas.lucia, f.answers(definition))
    follow_up = f.follow_up(case, 6)
    names = [case.person.full_name, case.reference, "Lucía", "Mateo", "Lima", "rss v1"]
    page = phone
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = live_server.url
    leftovers = []

    def no_english(step):
        leftovers.extend(f"{step}: {p}" for p in english_on_page(page, "es", ignore=names))

    # Lucía tries to phone María: no answer.
    sign_in(page, live_server, "lucia.lima")
    page.goto(f"{base}/monitoring/case/{case.public_id}/")
    no_english("the Monitoring tab")
    page.click("#follow-up-6 a[href$='/attempt/']")
    page.wait_for_load_state()
    assert page.inner_text("h1") == es("Record a failed attempt")
    page.check("input[name=method][value=phone]")
    page.check("input[name=reason][value=no_answer]")
    page.fill("#id_note", "Sonó y nadie contestó")
    submitted(page)
    assert es("The failed attempt is recorded.") in page.inner_text("main")
    attempt = ContactAttempt.objects.get(case=case)
    assert (attempt.method, attempt.reason, attempt.by) == ("phone", "no_answer", personas.lucia)
    assert "Sonó y nadie contestó" in page.inner_text("#follow-up-6")

    # She visits her at home, records the follow-up, and takes the survey at once.
    page.click("#follow-up-6 a[href$='/record/']")
    page.wait_for_load_state()
    assert page.inner_text("h1") == es("Record the follow-up")
    no_english("recording the follow-up")
    page.check("input[name=method][value=home_visit]")
    page.fill("#id_note", "Vive con su hermana; el taller no arrancó")
    submitted(page)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.DONE and follow_up.method == "home_visit"
    page.click(f"main button:has-text('{es('Take the survey now')}')")
    page.wait_for_load_state()
    survey = Survey.objects.get(case=case, follow_up=follow_up)
    assert page.url.endswith(f"/surveys/{survey.public_id}/")
    assert page.locator("fieldset legend.h4").first.inner_text() == "Económica"
    no_english("the survey")
    assert not axe_violations(page)
    # The economic answers are the worst, the others the best.
    for q in definition["questions"]:
        option = q["options"][-1] if q["dimension"] == "economic" else q["options"][0]
        page.check(f"input[name={q['code']}][value={option['code']}]")
    submitted(page, "main button[name=submit]")
    assert es("The survey is submitted.") in page.inner_text("main")
    survey.refresh_from_db()
    assert survey.status == Survey.Status.SUBMITTED and str(survey.economic) == "0.000"

    # The case page shows the new scores and says why the case is at risk.
    main = page.inner_text("main")
    table = page.inner_text("main table")
    assert (
        es_plural("Follow-up at %(counter)s month", "Follow-up at %(counter)s months", 6) in table
    )
    assert "0,000" in table and "1,000" in table
    assert es("The case is at risk") in main
    assert "Económica 0,000 está por debajo del umbral 0,50" in main
    assert page.locator("main figure svg polyline").count() == 4
    no_english("the Monitoring tab with the scores")

    # It is on her My work.
    page.goto(f"{base}/")
    at_risk = es_plural("%(counter)s case at risk", "%(counter)s cases at risk", 1)
    assert at_risk in page.inner_text("main")
    assert case.reference in page.inner_text("main")
    sign_out(page)

    # And on Mateo's monitoring page of the Lima desk.
    sign_in(page, live_server, "mateo.lima")
    page.goto(f"{base}/monitoring/")
    page.wait_for_load_state()
    with translation.override("es"):
        lima = personas.org("LIM").local_name
    assert page.inner_text("h1") == es("Monitoring · %(desk)s", desk=lima)
    at_risk_list = page.inner_text("main table:below(#at-risk)")
    assert case.reference in at_risk_list and case.person.full_name in at_risk_list
    assert at_risk in page.inner_text("#at-risk")
    no_english("the desk's monitoring page")
    assert not axe_violations(page)
    assert leftovers == []
    assert errors == []
