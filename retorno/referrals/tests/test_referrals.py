import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from retorno.audit.models import AuditEvent
from retorno.cases import actions as case_actions
from retorno.cases.models import Consent
from retorno.conftest import acting
from retorno.lib.errors import ActionError
from retorno.plans.models import PlanAction
from retorno.plans.tests.factories import (
    approved_plan,
    lima_case,
    offline_service,
    sharing_consent,
    training_service,
)
from retorno.referrals import actions
from retorno.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(personas):
    case = lima_case(personas)
    service = training_service(personas)
    plan = approved_plan(case, personas, service=service)
    action = PlanAction.objects.get(goal__plan=plan)
    return case, service, action


def refer(case, service, action, personas, **kwargs):
    kwargs.setdefault("shared_fields", ["name", "phone", "need"])
    return actions.refer(
        case,
        actor=acting(personas.lucia),
        service=service,
        plan_action=action,
        need="A sewing course",
        **kwargs,
    )


def test_no_referral_without_consent_to_share_with_that_organisation(personas, setup):
    case, service, action = setup
    with pytest.raises(ActionError, match="has not agreed to share their data with"):
        refer(case, service, action, personas)
    assert not Referral.objects.exists()


def test_a_referral_shares_only_what_was_chosen_and_the_choice_is_audited(personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(
        case, service, action, personas, shared_fields=["name", "need", "vulnerability"]
    )
    assert referral.recipient.code == "CFPLIM"
    assert referral.shared_fields == ["name", "need", "vulnerability"]
    event = AuditEvent.objects.get(verb="referral.sent")
    assert event.detail["shared"] == ["name", "need", "vulnerability"]
    assert event.detail["sensitive_shared"] == ["vulnerability"]
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_carla_sees_only_the_shared_fields_and_nothing_else(as_user, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    case_actions.update_person(case.person, actor=acting(personas.lucia), email="maria@example.org")
    referral = refer(case, service, action, personas, shared_fields=["name", "need"])
    carla = as_user(personas.carla)
    page = carla.get(reverse("referrals:inbox_detail", args=[referral.public_id])).content.decode()
    assert "What Lima national desk shared with you" in page
    assert "María Quispe Huamán" in page and "A sewing course" in page
    assert "maria@example.org" not in page
    assert AuditEvent.objects.filter(verb="referral.viewed", actor=personas.carla).exists()
    # Nothing else of the case exists for her.
    for name in ("cases:case", "cases:journal", "plans:plan", "referrals:case"):
        assert carla.get(reverse(name, args=[case.public_id])).status_code == 403
    assert carla.get(reverse("cases:list")).status_code == 403


def test_a_partner_never_sees_other_organisations_referrals(as_user, personas, setup):
    case, _service, _action = setup
    other = offline_service(personas)
    partner = actions.ensure_partner_organisation(other.organization, actor=acting(personas.lucia))
    case_actions.record_consent(
        case,
        actor=acting(personas.lucia),
        purpose="partner_sharing",
        partner=partner,
        given=True,
        decided_on=case.created_at.date(),
        method="signed_form",
    )
    referral = refer(case, other, None, personas)
    assert referral.recipient is None  # not on Retorno: a letter, the desk records answers
    carla = as_user(personas.carla)
    assert (
        carla.get(reverse("referrals:inbox_detail", args=[referral.public_id])).status_code == 404
    )
    assert referral.reference not in carla.get(reverse("referrals:inbox")).content.decode()


def test_carla_accepts_and_completes_and_the_plan_action_is_done(as_user, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, action, personas)
    carla = as_user(personas.carla)
    carla.post(reverse("referrals:answer", args=[referral.public_id, "accepted"]))
    carla.post(
        reverse("referrals:outcome", args=[referral.public_id]),
        {"outcome": "completed", "outcome_on": timezone.localdate().isoformat(), "confirm": "1"},
    )
    referral.refresh_from_db()
    action.refresh_from_db()
    assert referral.status == Referral.Status.COMPLETED
    assert action.status == "done"
    page = (
        as_user(personas.lucia).get(reverse("plans:plan", args=[case.public_id])).content.decode()
    )
    assert "Completed" in page
    # After the referral closes, the partner keeps its history but not the person's data.
    carla = as_user(personas.carla)
    closed = carla.get(
        reverse("referrals:inbox_detail", args=[referral.public_id])
    ).content.decode()
    assert "María" not in closed and "Nothing of the person is shown now" in closed


def test_declining_needs_a_reason_on_its_own_page(as_user, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, action, personas)
    carla = as_user(personas.carla)
    url = reverse("referrals:answer", args=[referral.public_id, "declined"])
    assert "Check before you decline the referral" in carla.get(url).content.decode()
    response = carla.post(url, {"reason": ""})
    assert response.status_code == 422
    carla.post(url, {"reason": "The course is full"})
    referral.refresh_from_db()
    assert referral.status == "declined" and referral.reason == "The course is full"


def test_a_status_cannot_be_skipped_or_repeated(personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, action, personas)
    carla = acting(personas.carla)
    with pytest.raises(ActionError, match="cannot go from"):
        actions.change_status(referral, actor=carla, status="in_progress")
    actions.accept_referral(referral, actor=carla)
    with pytest.raises(ActionError, match="already accepted"):
        actions.accept_referral(referral, actor=carla)
    with pytest.raises(ActionError):
        actions.accept_referral(referral, actor=acting(personas.lucia))  # not hers to answer


def test_withdrawing_sharing_consent_closes_open_referrals(personas, setup):
    case, service, action = setup
    consent = sharing_consent(case, personas)
    referral = refer(case, service, action, personas)
    stopped = case_actions.withdraw_consent(consent, actor=acting(personas.lucia))
    assert stopped == ["1 open referral was closed."]
    referral.refresh_from_db()
    assert referral.status == Referral.Status.NOT_DELIVERED


def test_an_organisation_off_retorno_gets_a_letter_and_the_desk_records_its_answer(
    as_user, personas, setup
):
    case, _service, _action = setup
    other = offline_service(personas)
    lucia = as_user(personas.lucia)
    response = lucia.post(
        reverse("referrals:prepare_consent", args=[case.public_id]),
        {"service": other.pk},
    )
    other.organization.refresh_from_db()
    assert response["Location"] == (
        reverse("referrals:consent", args=[case.public_id])
        + f"?partner={other.organization.retorno_organisation.pk}"
    )
    partner = Consent.Purpose.PARTNER_SHARING
    case_actions.record_consent(
        case,
        actor=acting(personas.lucia),
        purpose=partner,
        partner=other.organization.retorno_organisation,
        given=True,
        decided_on=case.created_at.date(),
        method="signed_form",
    )
    referral = refer(case, other, None, personas)
    letter = lucia.get(reverse("referrals:letter", args=[referral.public_id]))
    assert letter.content.startswith(b"%PDF")
    assert f"referral-{referral.reference}-es.pdf" in letter["Content-Disposition"]
    lucia.post(reverse("referrals:answer", args=[referral.public_id, "accepted"]))
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert referral.updates.last().on_behalf is True


def test_an_overdue_referral_shows_on_my_work(as_user, personas, setup):
    import datetime

    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, action, personas)
    Referral.objects.filter(pk=referral.pk).update(
        reply_by=referral.reply_by - datetime.timedelta(days=30)
    )
    page = as_user(personas.lucia).get("/").content.decode()
    assert "1 referral with no reply" in page
    # Also for whoever is assigned to the case, once; not for the rest of the desk.
    assert "referral with no reply" not in as_user(personas.mateo).get("/").content.decode()
    from retorno.cases import actions as case_actions
    from retorno.conftest import acting

    case_actions.assign_caseworker(case, actor=acting(personas.mateo), user=personas.mateo)
    page = as_user(personas.mateo).get("/").content.decode()
    assert "1 referral with no reply" in page


def test_the_referral_form_shows_what_the_organisation_will_see(as_user, personas, setup):
    case, _service, action = setup
    url = reverse("referrals:new", args=[case.public_id]) + f"?action={action.public_id}"
    page = as_user(personas.lucia).get(url).content.decode()
    assert "What Centro de Formación Profesional Lima will see" in page
    assert "has not agreed to share their data" in page
    assert "Send referral" not in page
    sharing_consent(case, personas)
    page = as_user(personas.lucia).get(url).content.decode()
    assert "Send referral" in page


def test_the_inbox_counts_new_referrals(as_user, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    refer(case, service, action, personas)
    page = as_user(personas.carla).get("/", follow=True).content.decode()
    assert "Referrals (1 new)" in page


def test_an_unknown_status_in_the_address_is_a_404(as_user, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, action, personas)
    response = as_user(personas.carla).post(
        reverse("referrals:answer", args=[referral.public_id, "bogus"])
    )
    assert response.status_code == 404


def test_the_partner_does_not_see_the_need_unless_it_is_shared(as_user, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, action, personas, shared_fields=["name", "phone"])
    page = as_user(personas.carla).get(reverse("referrals:inbox_detail", args=[referral.public_id]))
    assert "A sewing course" not in page.content.decode()


def test_progress_on_the_version_in_force_carries_into_the_new_version(personas, setup):
    from retorno.plans import actions as plan_actions

    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, action, personas)
    new = plan_actions.new_version(action.goal.plan, actor=acting(personas.lucia))
    actions.accept_referral(referral, actor=acting(personas.carla))
    actions.complete_referral(referral, actor=acting(personas.carla))
    plan_actions.submit_plan(new, actor=acting(personas.lucia))
    plan_actions.approve_plan(new, actor=acting(personas.mateo))
    copied = PlanAction.objects.get(goal__plan=new, lineage=action.lineage)
    assert copied.status == "done"
    referral.refresh_from_db()
    assert referral.plan_action == copied


@pytest.mark.parametrize(
    "language, labels",
    [
        ("es", ["Teléfono", "Correo electrónico", "Qué necesita la persona", "Idiomas"]),
        ("it", ["Telefono", "Lingue", "Esperienze lavorative in Europa"]),
        ("pt", ["Telefone", "Idiomas", "Experiência de trabalho na Europa"]),
    ],
)
def test_the_sharing_choices_are_in_the_readers_language(
    as_user, personas, setup, language, labels
):
    from retorno.accounts.models import User

    case, _service, action = setup
    User.objects.filter(pk=personas.lucia.pk).update(preferred_language=language)
    url = reverse("referrals:new", args=[case.public_id]) + f"?action={action.public_id}"
    page = as_user(personas.lucia).get(url).content.decode()
    choices = page.split('name="shared_fields"', 1)[1]
    for label in labels:
        assert f"{label}</label>" in choices
    assert "Email address</label>" not in choices
    assert "Work experience in Europe</label>" not in choices


def test_a_new_referral_emails_the_partner_in_their_language_without_names(
    personas, setup, django_capture_on_commit_callbacks
):
    from django.core import mail

    from retorno.accounts.models import User

    case, service, action = setup
    sharing_consent(case, personas)
    User.objects.filter(pk=personas.carla.pk).update(preferred_language="it")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = refer(case, service, action, personas)
    assert mail.outbox == []  # nothing leaves before the referral is committed
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[personas.carla.email]]
    message = mail.outbox[0]
    assert message.subject == f"Nuovo invio {referral.reference} per la tua organizzazione"
    assert reverse("referrals:inbox_detail", args=[referral.public_id]) in message.body
    assert "Sportello nazionale di Lima" in message.body  # the desk named in her language
    assert "María" not in message.body + message.subject
    assert "Quispe" not in message.body + message.subject
    assert "A sewing course" not in message.body


def test_a_referral_off_retorno_emails_nobody(personas, setup, django_capture_on_commit_callbacks):
    from django.core import mail

    case, _service, _action = setup
    other = offline_service(personas)
    partner = actions.ensure_partner_organisation(other.organization, actor=acting(personas.lucia))
    from retorno.cases.tests.factories import consent

    consent(case, personas.lucia, "partner_sharing", partner=partner)
    with django_capture_on_commit_callbacks(execute=True):
        refer(case, other, None, personas)
    assert mail.outbox == []


def test_a_new_referral_is_unread_in_the_inbox_until_the_partner_opens_it(as_user, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, action, personas)
    # The desk reading it does not mark it read for the partner.
    as_user(personas.lucia).get(reverse("referrals:detail", args=[referral.public_id]))
    carla = as_user(personas.carla)
    card = carla.get(reverse("referrals:inbox")).content.decode().split(referral.reference, 1)[1]
    assert "Unread" in card.split("</li>", 1)[0]
    carla.get(reverse("referrals:inbox_detail", args=[referral.public_id]))
    card = carla.get(reverse("referrals:inbox")).content.decode().split(referral.reference, 1)[1]
    assert "Unread" not in card.split("</li>", 1)[0]
    referral.refresh_from_db()
    assert referral.opened_at is not None


def _accepted(personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, action, personas)
    actions.accept_referral(referral, actor=acting(personas.carla))
    return referral


def test_completing_is_no_longer_one_click(as_user, personas, setup):
    referral = _accepted(personas, setup)
    carla = as_user(personas.carla)
    detail = carla.get(reverse("referrals:inbox_detail", args=[referral.public_id]))
    assert "Mark service as completed" not in detail.content.decode()
    assert "Record the outcome" in detail.content.decode()
    response = carla.post(reverse("referrals:answer", args=[referral.public_id, "completed"]))
    assert response.url == reverse("referrals:outcome", args=[referral.public_id])
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED


def test_carla_records_a_dated_outcome_after_checking_it(as_user, personas, setup):
    case, _service, action = setup
    referral = _accepted(personas, setup)
    carla = as_user(personas.carla)
    url = reverse("referrals:outcome", args=[referral.public_id])
    form = carla.get(url).content.decode()
    for label in ("Completed the service", "Completed, with a certificate", "Dropped out"):
        assert label in form
    finished = timezone.localdate()
    answers = {"outcome": "certificate", "outcome_on": finished.isoformat(), "note": "Level 1"}
    check = carla.post(url, answers).content.decode()
    assert "Check the outcome before you record it" in check
    assert "Record outcome: Completed, with a certificate" in check
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED  # nothing happens before the confirm
    response = carla.post(url, {**answers, "confirm": "1"})
    assert response.url == reverse("referrals:inbox_detail", args=[referral.public_id])
    referral.refresh_from_db()
    assert referral.status == Referral.Status.COMPLETED
    assert referral.outcome == Referral.Outcome.CERTIFICATE and referral.outcome_on == finished
    event = AuditEvent.objects.get(verb="referral.completed")
    assert event.actor == personas.carla
    assert event.changes == {
        "status": ["accepted", "completed"],
        "outcome": ["", "certificate"],
        "outcome_on": [None, finished.isoformat()],
    }
    assert event.detail["referral"] == referral.reference
    action.refresh_from_db()
    assert action.status == "done"
    # The caseworker sees it on the referral, on the case's referrals and on its timeline.
    lucia = as_user(personas.lucia)
    page = lucia.get(reverse("referrals:detail", args=[referral.public_id])).content.decode()
    assert "Completed, with a certificate" in page and "Level 1" in page
    listing = lucia.get(reverse("referrals:case", args=[case.public_id])).content.decode()
    assert "Completed, with a certificate" in listing
    timeline = lucia.get(reverse("cases:timeline", args=[case.public_id])).content.decode()
    assert f"Referral {referral.reference}: completed, with a certificate" in timeline


def test_a_dropped_out_person_closes_the_referral_as_not_delivered(as_user, personas, setup):
    referral = _accepted(personas, setup)
    url = reverse("referrals:outcome", args=[referral.public_id])
    left = timezone.localdate()
    as_user(personas.carla).post(
        url, {"outcome": "dropped_out", "outcome_on": left.isoformat(), "confirm": "1"}
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.NOT_DELIVERED
    assert referral.outcome == Referral.Outcome.DROPPED_OUT and referral.outcome_on == left


def test_an_outcome_needs_a_real_date_and_a_reason_when_not_delivered(as_user, personas, setup):
    referral = _accepted(personas, setup)
    carla = as_user(personas.carla)
    url = reverse("referrals:outcome", args=[referral.public_id])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = carla.post(
        url, {"outcome": "completed", "outcome_on": tomorrow.isoformat(), "confirm": "1"}
    )
    assert response.status_code == 422
    assert "The date cannot be in the future" in response.content.decode()
    response = carla.post(
        url,
        {
            "outcome": "not_delivered",
            "outcome_on": timezone.localdate().isoformat(),
            "confirm": "1",
        },
    )
    assert response.status_code == 422
    assert "Say why the service was not delivered" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.outcome == ""


def test_a_referral_typed_before_the_consent_comes_back_as_typed(as_user, personas, setup):
    case, service, action = setup
    lucia = as_user(personas.lucia)
    typed = {
        "action": str(action.public_id),
        "service": service.pk,
        "need": "Evening classes: she works in the mornings",
        "shared_fields": ["name", "email", "languages"],
    }
    response = lucia.post(reverse("referrals:prepare_consent", args=[case.public_id]), typed)
    consent_url = response["Location"]
    form = lucia.get(consent_url).content.decode()
    assert "<h1" in form and "Record the person" in form.split("<h1", 1)[1].split("</h1>")[0]
    response = lucia.post(
        consent_url,
        {
            "purpose": "partner_sharing",
            "partner": personas.org("CFPLIM").pk,
            "given": "yes",
            "decided_on": timezone.localdate().isoformat(),
            "method": "signed_form",
        },
    )
    back = reverse("referrals:new", args=[case.public_id]) + "?draft=1"
    assert response["Location"] == back
    assert Consent.objects.filter(case=case, purpose="partner_sharing", given=True).exists()
    page = lucia.get(back).content.decode()
    assert "Evening classes: she works in the mornings</textarea>" in page
    boxes = {
        code: f'value="{code}"' in page
        and "checked" in page.split(f'value="{code}"', 1)[1].split(">", 1)[0]
        for code in ("name", "phone", "email", "need", "languages")
    }
    assert boxes == {
        "name": True,
        "phone": False,
        "email": True,
        "need": False,
        "languages": True,
    }
    assert "Send referral" in page
    # Sent, the draft is gone: the form opens fresh again.
    lucia.post(reverse("referrals:new", args=[case.public_id]), typed)
    assert Referral.objects.filter(case=case, need=typed["need"]).exists()
    fresh = lucia.get(back).content.decode()
    assert typed["need"] not in fresh


def test_the_referral_form_chooses_among_the_return_countrys_services(as_user, personas, setup):
    from retorno.directory.tests import factories as directory

    case, _service, _action = setup
    la_paz = directory.organization(
        personas, actor=personas.rosa, country="BO", name="Centro Boliviano"
    )
    directory.service(la_paz, personas, actor=personas.rosa, name="Taller de tejido")
    lucia = as_user(personas.lucia)
    url = reverse("referrals:new", args=[case.public_id])
    page = lucia.get(url).content.decode()
    chooser = page.split('name="service"', 1)[1].split("</select>", 1)[0]
    assert '<optgroup label="Centro de Formación Profesional Lima">' in chooser
    assert "Taller de tejido" not in chooser
    shown = lucia.post(
        url,
        {"service_country": "BO", "need": "Knitting", "show_services": "1"},
    ).content.decode()
    chooser = shown.split('name="service"', 1)[1].split("</select>", 1)[0]
    assert "Taller de tejido" in chooser and "Curso de costura" not in chooser
    assert "Knitting</textarea>" in shown and "There is a problem" not in shown
