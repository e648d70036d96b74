"""The whole journey in Chromium, in each of the four languages, with the browser's own locale to
match: Milan registers María and her two children, counsels her, records her consent, drafts the
plan (approved by a second person, agreed by María) and hands the case over; Lima accepts it and
assigns Lucía, who assesses the needs and refers María to the training centre; Carla answers for
the centre; a month later Lucía records her home visit. Darío at Madrid and Carla cannot open
what is not theirs.

Every page is checked as it comes (retorno/testing/leftovers.py): no console error, no English in
a non-English run, no date field the browser shows empty; forms that come back with an error
must keep what was typed. The walk is driven by ids, names and addresses, never by English
words, and a run reports every problem it met, not only the first."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from retorno.accounts.actions import set_preferred_language
from retorno.cases.models import Case, Handover, NeedsAssessment, Phase
from retorno.cases.tests.factories import register
from retorno.demo.foundation import ACCOUNTS
from retorno.grants.models import Grant
from retorno.grants.tests import factories as grants
from retorno.outreach.actions import public as outreach_public
from retorno.plans.tests.factories import training_service
from retorno.programmes.models import Cycle
from retorno.testing.browser import axe_violations
from retorno.testing.leftovers import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = [("it", "it-IT"), ("es", "es-PE"), ("pt", "pt-BR"), ("en", "en-GB")]

# What the staff type, and proper names: data, never a leftover of the interface.
PROPER_NAMES = [
    "María Quispe Huamán",
    "Quispe",
    "Huamán",
    "Pedro",
    "Centro de Formación Profesional Lima",
    "Curso de costura",
    "Ana Rossi",
    "Bruno Ferrari",
    "Lucía Mendoza",
    "Mateo Rojas",
    "Carla Huamán",
    "Retorno",
]
# The button that saves a form: the others on a page have a name (preview, show_services...).
SAVE = "main form[method=post] button[type=submit]:not([name])"


class Stop(Exception):
    """A step could not be done, so the rest of the walk cannot be either."""


class Walk:
    def __init__(self, page, live_server, language):
        self.page = page
        self.base = live_server.url
        self.language = language
        self.watch = Watch(page, language, ignore=PROPER_NAMES)

    def t(self, message, **values):
        with translation.override(self.language):
            return gettext(message) % values if values else gettext(message)

    def nt(self, singular, plural, n, **values):
        with translation.override(self.language):
            return ngettext(singular, plural, n) % {"counter": n, **values}

    def go(self, path, step):
        try:
            response = self.page.goto(self.base + path)
        except Exception as error:
            raise Stop(f"{step}: {path} did not load: {error}") from None
        self.watch.check(step)
        return response

    def click(self, selector, step):
        target = self.page.locator(selector).first
        try:
            target.wait_for()
        except Exception:
            raise Stop(f"{step}: nothing matches {selector} on {self.page.url}") from None
        target.click()
        self.page.wait_for_load_state()
        errors = self.page.locator(".error-summary")
        if errors.count():
            self.watch.expect_console_error("status of 422")  # a form with errors answers 422
        self.watch.check(step)
        if errors.count():
            raise Stop(f"{step}: refused: " + " / ".join(errors.first.inner_text().split("\n")))

    def settle(self):
        """Leaves the field being typed in and lets its htmx request (the register form's
        look-alike panel) finish, as a person pausing before the button does. Without the pause
        the panel's read meets the submit's write, which the in-memory SQLite database of the
        tests refuses ("table is locked") though a real database would not."""
        self.page.evaluate("document.activeElement && document.activeElement.blur()")
        self.page.wait_for_timeout(50)
        self.page.wait_for_function("() => !document.querySelector('.htmx-request')")

    def saved(self, step, *, expect=None, blocking=True):
        """After a submit: the page says it worked (the green banner), or the walk stops."""
        self.settle()
        self.page.locator(SAVE).first.click()
        self.page.wait_for_load_state()
        errors = self.page.locator(".error-summary")
        if errors.count():
            self.watch.expect_console_error("status of 422")  # a form with errors answers 422
        self.watch.check(step)
        if errors.count():
            problem = "refused: " + " / ".join(errors.first.inner_text().split("\n"))
            if blocking:
                raise Stop(f"{step}: {problem}")
            self.watch.problem(step, problem)
            return False
        banner = self.page.locator("main .banner.alert-success, main .alert-success[role=status]")
        if not banner.count():
            raise Stop(f"{step}: no confirmation after saving (at {self.page.url})")
        if expect is not None:
            assert expect in banner.first.inner_text(), (step, banner.first.inner_text())
        return True

    def refused(self, step):
        """A submit the test makes with a wrong field on purpose: the form must come back."""
        self.settle()
        self.page.locator(SAVE).first.click()
        self.page.wait_for_load_state()
        self.watch.expect_console_error("status of 422")  # a form with errors answers 422
        self.watch.check(step)
        if not self.page.locator(".error-summary").count():
            raise Stop(f"{step}: no error shown for the wrong field (at {self.page.url})")
        self.axe(step)
        if not self.page.title().startswith(self.t("Error:") + " "):
            self.watch.problem(
                step, f"the title does not start with the error word: {self.page.title()!r}"
            )

    def sign_in(self, username):
        self.go("/accounts/login/", f"sign-in page for {username}")
        self.page.fill("#id_login", username)
        self.page.fill("#id_password", "retorno-demo")
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()
        if not self.page.locator("header button[type=submit]").count():
            raise Stop(f"{username} could not sign in (at {self.page.url})")
        # A person whose profile holds another language picks the run's in the switcher, once:
        # the choice is saved to the profile and holds at the next sign-in.
        if self.page.locator("html").get_attribute("lang") != self.language:
            self.click(f"button[lang={self.language}]", f"{username} chooses the language")
        else:
            self.watch.check(f"{username} signs in")

    def sign_out(self):
        self.page.click("header button[type=submit]")
        self.page.wait_for_load_state()

    def axe(self, step):
        for violation in axe_violations(self.page):
            self.watch.problem(step, f"accessibility: {violation}")


@pytest.mark.parametrize(("language", "locale"), LANGUAGES, ids=[code for code, _ in LANGUAGES])
def test_the_journey_from_milan_to_lima_in_each_language(
    language, locale, live_server, browser, personas
):
    # Everyone's profile holds the language of their desk, as in the demo's people: whoever works
    # in another language this run switches to it the way a person does, in the switcher.
    for account in ACCOUNTS:
        user = personas[account.username.split(".")[0]]
        set_preferred_language(user, actor=user, language=account.language)
    service = training_service(personas)
    # Lucía registers Rosa at Lima, in Spanish: the follow-ups planned at once are her tasks,
    # titled in the language she works in.
    with translation.override("es"):
        other = register(personas.lucia, given_names="Rosa", first_surname="Flores")
    # Programme coordination's grant policy for every cycle, and Lima's envelope.
    for cycle in Cycle.objects.all():
        grants.policy(cycle, personas)
        grants.envelope(cycle, personas.org("LIM"), personas)
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(8000)  # a missing button fails in seconds, not minutes
    page.set_default_navigation_timeout(30000)
    walk = Walk(page, live_server, language)
    try:
        journey(walk, personas, service, other)
    except Exception as error:  # reported with everything else the walk met
        walk.watch.problem("the step above", f"THE WALK STOPPED HERE: {error}")
    finally:
        context.close()
    if walk.watch.problems:
        pytest.fail("\n" + walk.watch.report(), pytrace=False)


def journey(walk, personas, service, other):
    page, t, nt = walk.page, walk.t, walk.nt
    language = walk.language

    # Before the case: the public site a person reads, and the campaign's pages at Milan.
    lead = outreach_public.submit_contact_request(
        fields={
            "given_names": "Yolanda",
            "surnames": "Ccori",
            "channel": "whatsapp",
            "phone": "+39 345 678 9012",
            "region": "IT-25",
            "province": "Milano",
            "return_country": "PE",
            "language": "es",
        },
        consent=True,
    )
    walk.watch.ignore.append(lead.reference)
    for path in ("guides/", "guides/pe/", "sessions/", "contact/", "refer/"):
        walk.go(f"/{language}/{path}", f"public site {path}")
        walk.axe(f"public site {path}")
    walk.sign_in("olga.outreach")
    walk.go("/outreach/leads/", "leads inbox")
    walk.go(f"/outreach/leads/{lead.public_id}/", "lead")
    walk.axe("lead")
    for path in ("/outreach/", "/outreach/content/", "/outreach/figures/"):
        walk.go(path, f"campaign page {path}")
    walk.sign_out()

    # Ana registers María; she types the month of birth wrong at first.
    walk.sign_in("ana.milano")
    walk.go("/cases/new/", "register")
    typed = walk.watch.typed(
        {
            "#id_given_names": "María",
            "#id_first_surname": "Quispe",
            "#id_second_surname": "Huamán",
            "#id_birth_day": "27",
            "#id_birth_month": "13",
            "#id_birth_year": "1986",
            "#id_nationality": "PE",
            "#id_return_country": "PE",
            "#id_return_city": "Lima",
            "#id_phone_home": "987 654 321",
        }
    )
    page.check("#id_sex_0")
    walk.axe("register")
    walk.refused("register with month 13")
    walk.watch.kept("register with month 13", typed, checked=["#id_sex_0"])
    page.fill("#id_birth_month", "3")
    walk.saved("register")
    case = Case.objects.get(person__given_names="María")
    case_url = f"/cases/{case.public_id}/"
    registered = t(
        "The person is registered and case %(reference)s is open.", reference=case.reference
    )
    assert registered in page.inner_text("main .banner")
    walk.watch.ignore.append(case.reference)
    assert page.title() == (
        f"{t('Summary')} – {t('Case %(reference)s', reference=case.reference)} – Retorno"
    )
    walk.axe("case summary")

    for name in ("Pedro", "Lucía"):
        walk.go(case_url + "household/add/", "household member")
        page.check("#id_relationship_0")  # child
        walk.watch.typed(
            {"#id_given_names": name, "#id_first_surname": "Quispe", "#id_birth_year": "2015"}
        )
        walk.saved("household member")
    expected = nt("with %(counter)s child", "with %(counter)s children", 2)
    assert expected in page.inner_text(".identity-bar")

    # Counselling: a journal entry, the date left as the form fills it; the summary comes second.
    walk.go(case_url + "journal/add/", "journal entry")
    typed = walk.watch.typed({"#id_duration_minutes": "45", "#id_participants": "María, Ana"})
    walk.refused("journal entry without a summary")
    walk.watch.kept("journal entry without a summary", typed)
    summary = "Primera sesión: quiere volver a Lima con los niños."
    walk.watch.typed({"#id_summary": summary})
    if walk.saved("journal entry", blocking=False):
        assert summary in page.inner_text("main")

    # Consent to case management and to the transfer, dated today as the form proposes.
    for purpose in ("case_management", "transfer"):
        walk.go(case_url + f"consent/record/?purpose={purpose}", f"consent: {purpose}")
        page.check("#id_given_0")
        page.check("#id_method_0")
        walk.saved(f"consent: {purpose}", expect=t("The consent is recorded."))

    # The plan: a goal, a service action (typed first without the service) and a desk action.
    walk.go(case_url + "plan/", "plan")
    walk.click("main form[action$='/plan/start/'] button", "plan started")
    walk.click("main a[href*='/plan/goals/add/?dimension=economic']", "goal")
    page.check("input[name=dimension][value=economic]")
    walk.watch.typed({"#id_description": "Trabajar como costurera en Lima"})
    walk.saved("goal")
    walk.click("main a[href*='/actions/add/']", "plan action")
    typed = walk.watch.typed(
        {
            "#id_description": "Curso de costura en el centro de formación",
            "#id_estimated_cost": "350,00",
            "#id_currency": "PEN",
        }
    )
    page.check("input[name=responsible][value=service]")
    walk.refused("plan action without the service")
    walk.watch.kept(
        "plan action without the service",
        typed,
        checked=["input[name=responsible][value=service]"],
    )
    page.select_option("#id_service", str(service.pk))
    walk.saved("plan action")
    walk.click("main a[href*='/actions/add/']", "second plan action")
    walk.watch.typed({"#id_description": "Acompañar la inscripción escolar de los niños"})
    page.check("input[name=responsible][value=desk]")
    walk.saved("second plan action")
    walk.click("main form[action$='/plan/submit/'] button", "plan submitted")
    walk.sign_out()

    # Bruno, another person, approves it.
    walk.sign_in("bruno.milano")
    waiting = nt(
        "%(counter)s plan waiting for your approval",
        "%(counter)s plans waiting for your approval",
        1,
    )
    assert waiting in page.inner_text("main")
    walk.click(f"main a[href='{case_url}plan/approve/']", "plan approval")
    assert page.inner_text("h1") == t("Check the plan before you approve it")
    walk.saved(
        "plan approval",
        expect=t(
            "Version %(number)s of the plan is approved. Record the person's agreement next.",
            number=1,
        ),
    )
    walk.sign_out()

    # Ana records María's agreement (today, as proposed), then takes the case to departure.
    walk.sign_in("ana.milano")
    walk.go(case_url + "plan/agreement/", "returnee agreement")
    page.check("input[name=how][value=signed]")
    walk.saved("returnee agreement", blocking=False)
    for phase in ("intake", "preparation", "ready_to_depart"):
        walk.go(case_url + "phase/", f"phase {phase}")
        page.check(f"input[name=phase][value={phase}]")
        label = t(dict(Phase.choices)[phase])
        walk.saved(
            f"phase {phase}", expect=t("The case is now in the phase: %(phase)s.", phase=label)
        )

    # The handover, typed first without the travel date, checked before it is sent.
    walk.go(case_url, "case before the handover")
    walk.click(f"main a[href='{case_url}handover/']", "handover")
    typed = walk.watch.typed(
        {
            "#id_to_desk": str(personas.org("LIM").pk),
            "#id_situation": "Vuelve con dos hijos después de perder el trabajo.",
            "#id_needs": "Vivienda los primeros meses; escuela; trabajo.",
        }
    )
    walk.refused("handover without the travel date")
    walk.watch.kept("handover without the travel date", typed)
    travel = timezone.localdate() + datetime.timedelta(days=14)
    page.fill("#id_travel_date", travel.isoformat())
    walk.click(SAVE, "handover check")
    assert page.inner_text("h1") == t("Check the handover before you send it")
    walk.axe("handover check")
    walk.click(SAVE, "handover sent")
    assert t("Case handed over") in page.inner_text("main h1")
    walk.sign_out()

    # Mateo accepts it and assigns Lucía.
    handover = Handover.objects.get(case=case)
    walk.sign_in("mateo.lima")
    assert nt(
        "%(counter)s handover waiting for your desk",
        "%(counter)s handovers waiting for your desk",
        1,
    ) in page.inner_text("main")
    walk.click(f"main a[href='/handovers/{handover.public_id}/']", "handover received")
    assert "Vuelve con dos hijos" in page.inner_text("main")
    walk.click(f"main a[href='/handovers/{handover.public_id}/accept/']", "handover acceptance")
    page.select_option("#id_caseworker", str(personas.lucia.pk))
    walk.saved("handover acceptance")
    assert case.reference in page.inner_text("main .banner")
    assert "Lima" in page.inner_text(".identity-bar")
    walk.sign_out()

    # Lucía finds it on My work, assesses the needs and refers María to the training centre.
    walk.sign_in("lucia.lima")
    walk.click("main a[href*='phase=reception']", "cases in reception")
    assert case.reference in page.inner_text("main")
    walk.go(case_url + "assessment/", "needs assessment")
    for dimension, _label in NeedsAssessment.DIMENSIONS:
        page.check(f"input[name={dimension}][value='{NeedsAssessment.Level.HIGH}']")
    walk.watch.typed({"#id_summary": "Necesita trabajo pronto; los niños, escuela."})
    walk.saved("needs assessment", blocking=False)

    walk.go(case_url + "plan/", "plan at Lima")
    walk.click("main a[href*='/referrals/new/?action=']", "referral")
    need = "Curso de costura de tres meses; empieza en enero."
    draft = walk.watch.typed({"#id_need": need})
    for code in ("languages", "household"):
        page.check(f"input[name=shared_fields][value={code}]")
    chosen = [f"input[name=shared_fields][value={c}]" for c in ("languages", "household")]
    consent_button = (
        "main form[action*='/referrals/consent/'] button[type=submit], "
        "main button[formaction*='/referrals/consent/']"
    )
    walk.click(consent_button, "consent to share with the training centre")
    page.check("#id_given_0")
    page.check("#id_method_0")
    walk.saved("consent to share with the training centre")
    if "/referrals/new/" not in page.url:
        walk.watch.problem(
            "referral after the consent",
            f"the referral being typed is lost: the consent form led to {page.url}",
        )
        walk.go(case_url + "plan/", "plan at Lima, again")
        walk.click("main a[href*='/referrals/new/?action=']", "referral, typed again")
        page.fill("#id_need", need)
        for selector in chosen:
            page.check(selector)
    else:
        walk.watch.kept("referral after the consent", draft, checked=chosen)
    org = service.organization.name
    assert t("What %(organisation)s will see", organisation=org) in page.inner_text("main")
    walk.axe("referral")
    walk.saved("referral sent")
    referral = case.referrals.get()
    walk.watch.ignore.append(referral.reference)

    # A grant for the first months, requested from the economic action of the plan.
    walk.go(case_url + "plan/", "plan with its grants")
    walk.click("main a[href^='/grants/new/']", "grant request")
    page.check("input[name=grant_type][value=basic_needs]")
    page.select_option("#id_currency", "PEN")
    walk.watch.typed(
        {"#id_amount": "1720", "#id_rate": "4.3", "#id_purpose": "Alquiler y comida dos meses"}
    )
    walk.axe("grant request")
    walk.saved("grant request", expect=t("The request is saved as a draft."))
    grant = Grant.objects.get(case=case)
    walk.axe("grant page")
    walk.click(f"main form[action='/grants/{grant.public_id}/submit/'] button", "grant submitted")
    walk.sign_out()

    # Carla accepts it and later reports the outcome; she cannot open any other case.
    walk.sign_in("carla.partner")
    inbox = nt("Referrals (%(counter)s new)", "Referrals (%(counter)s new)", 1)
    assert inbox in page.inner_text("main")
    walk.click(f"main a[href='/inbox/{referral.public_id}/']", "referral received")
    assert "María Quispe Huamán" in page.inner_text("main")
    walk.axe("referral received")
    walk.click("main form[action$='/accepted/'] button[type=submit]", "referral accepted")
    # The outcome, dated today as the form proposes, checked before it is recorded.
    walk.click(f"main a[href='/referrals/{referral.public_id}/outcome/']", "referral outcome")
    page.check("input[name=outcome][value=certificate]")
    walk.click(SAVE, "referral outcome check")
    walk.axe("referral outcome check")
    page.locator("main button[name=confirm]").click()
    page.wait_for_load_state()
    walk.watch.check("referral outcome recorded")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "certificate")
    for url in (f"/cases/{other.public_id}/", case_url, "/cases/"):
        walk.watch.expect_console_error("status of 40")  # the browser logs the refusal itself
        response = walk.go(url, f"{url} refused to the partner")
        assert response.status in (403, 404), url
    walk.sign_out()

    # Mateo approves the grant Lucía prepared, then reads Lima's budget.
    walk.sign_in("mateo.lima")
    walk.click(f"main a[href='/grants/{grant.public_id}/decide/']", "grant decision")
    walk.axe("grant decision")
    page.check("input[name=decision][value=approve]")
    walk.saved("grant approved")
    walk.go("/grants/budget/", "budget")
    assert t("Committed") in page.inner_text("main table")
    walk.axe("budget")
    walk.sign_out()

    # Lucía sees the action done, and the case's other pages read in her language too.
    walk.sign_in("lucia.lima")
    walk.go(case_url + "plan/", "plan after the referral")
    row = page.locator("tr", has=page.locator(f"a[href='/referrals/{referral.public_id}/']"))
    assert row.locator("select").input_value() == "done"
    completed = t("Referral: %(status)s", status=t("Completed, with a certificate"))
    assert completed in row.inner_text()
    walk.go(f"/referrals/{referral.public_id}/", "referral answered")
    for tab in ("", "household/", "consent/", "journal/", "referrals/", "documents/", "timeline/"):
        walk.go(case_url + tab, f"case page {tab or 'summary'}")
    walk.go("/cases/", "case list at Lima")
    walk.go("/tasks/", "task list at Lima")

    # A month after her arrival Lucía visits María at home and records the follow-up.
    walk.go(f"/monitoring/case/{case.public_id}/", "monitoring")
    walk.click("#follow-up-1 a[href$='/record/']", "follow-up")
    page.check("input[name=method][value=home_visit]")
    walk.watch.typed({"#id_note": "Empezó el curso; los niños van a la escuela."})
    walk.axe("follow-up")
    walk.saved("follow-up recorded", expect=t("The follow-up is recorded."))
    assert "Empezó el curso" in page.inner_text("#follow-up-1")
    walk.sign_out()

    # Ana keeps a read-only summary of the case she handed over.
    walk.sign_in("ana.milano")
    walk.go(case_url, "summary read at Milan")
    walk.sign_out()

    # Darío at Madrid cannot open it.
    walk.sign_in("dario.madrid")
    walk.watch.expect_console_error("status of 404")
    response = walk.go(case_url, "someone else's case")
    assert response.status == 404
    walk.go("/cases/", "case list at Madrid")
    assert case.reference not in page.inner_text("main")
