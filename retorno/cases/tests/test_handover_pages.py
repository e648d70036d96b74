"""The handover seen from both desks: when it can start, where the sender finds it, and who
is told when a case is assigned to them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from retorno.cases import actions
from retorno.cases.tests.factories import consent, register
from retorno.conftest import acting
from retorno.lib.errors import ActionError

pytestmark = pytest.mark.django_db


def test_the_handover_page_says_why_before_anything_is_typed(as_user, personas):
    case = register(personas.ana)
    consent(case, personas.ana)
    case = actions.change_phase(case, actor=acting(personas.ana), to="intake")
    ana = as_user(personas.ana)
    start = reverse("cases:handover_start", args=[case.public_id])
    page = ana.get(start).content.decode()
    assert "This case cannot be handed over yet" in page
    assert "This case is in Intake. Move it to Ready to depart before handing it over" in page
    assert reverse("cases:phase", args=[case.public_id]) in page
    assert 'name="situation"' not in page and "Continue" not in page
    # Posting anyway saves nothing to check: the same page, no draft.
    response = ana.post(
        start,
        {
            "to_desk": personas.org("LIM").pk,
            "travel_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "situation": "Returns with her children.",
            "needs": "Housing and school.",
        },
    )
    assert "This case cannot be handed over yet" in response.content.decode()
    check = ana.get(reverse("cases:handover_check", args=[case.public_id]))
    assert check["Location"] == start
    # The action refuses with the very same sentence.
    with pytest.raises(ActionError) as refused:
        actions.hand_over_case(
            case,
            actor=acting(personas.ana),
            to_desk=personas.org("LIM"),
            situation="s",
            needs="n",
            travel_date=timezone.localdate(),
        )
    assert refused.value.message == actions.handover_problem(case).message


def test_a_national_desk_case_cannot_be_handed_over_and_the_page_says_so(as_user, personas):
    case = register(personas.lucia)
    page = as_user(personas.lucia).get(reverse("cases:handover_start", args=[case.public_id]))
    page = page.content.decode()
    assert "Only a European desk hands a case over to a national desk." in page
    assert 'name="situation"' not in page


# Assignment: an email after commit, in her language, no names; and My work shows it.


def test_accepting_a_handover_emails_the_caseworker_in_her_language(
    personas, django_capture_on_commit_callbacks
):
    from django.core import mail

    from retorno.cases.tests.factories import handed_over

    personas.lucia.preferred_language = "pt"
    personas.lucia.save(update_fields=["preferred_language"])
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        case = actions.accept_handover(
            handover, actor=acting(personas.mateo), caseworker=personas.lucia
        )
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["lucia.lima@retorno.example"]]
    message = mail.outbox[0]
    assert message.subject == f"O caso {case.reference} foi atribuído a você"
    assert reverse("cases:case", args=[case.public_id]) in message.body
    for name in ("María", "Quispe", "Lucía", "Mendoza", "Mateo", "Rojas"):
        assert name not in message.subject + message.body


def test_a_coordinator_assigning_a_colleague_emails_her_but_no_one_assigning_herself(
    personas, django_capture_on_commit_callbacks
):
    from django.core import mail

    from retorno.audit.models import AuditEvent

    case = register(personas.bruno)  # Bruno is assigned as he registers: no email to himself
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_caseworker(case, actor=acting(personas.bruno), user=personas.ana)
    # Ana chose no language: the one of her desk, Italian.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ana.milano@retorno.example"], f"Il caso {case.reference} ti è stato assegnato")
    ]
    assert "Bruno" not in mail.outbox[0].body and "María" not in mail.outbox[0].body
    event = AuditEvent.objects.filter(verb="case.assigned").latest("pk")
    assert event.actor_id == personas.bruno.pk
    assert (event.target_type, event.target_id) == ("cases.case", str(case.public_id))
    assert event.detail == {"caseworker": "ana.milano"}
    mail.outbox.clear()
    other = register(personas.bruno, given_names="Rosa")
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_caseworker(other, actor=acting(personas.ana), user=personas.ana)
    assert mail.outbox == []


def test_my_work_shows_cases_newly_assigned_by_someone_else(
    as_user, personas, django_assert_max_num_queries
):
    own = register(personas.ana, given_names="Own")
    given = register(personas.bruno)
    actions.assign_caseworker(given, actor=acting(personas.bruno), user=personas.ana)
    client = as_user(personas.ana)
    with django_assert_max_num_queries(60) as baseline:
        page = client.get("/").content.decode()
    assert "1 case newly assigned to you" in page
    assert f"Case {given.reference}</a> · Inquiry" in page
    assert "assigned to you by Bruno Ferrari" in page
    assert own.reference not in page.split("My open cases")[0]
    more = [register(personas.bruno, given_names=f"P{n}") for n in range(4)]
    for case in more:
        actions.assign_caseworker(case, actor=acting(personas.bruno), user=personas.ana)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        page = client.get("/").content.decode()
    assert "5 cases newly assigned to you" in page
    # Closed, or older than two weeks: no longer new.
    actions.close_case(more[0], actor=acting(personas.bruno), reason="completed")
    from retorno.cases.models import Assignment

    Assignment.objects.filter(case=more[1]).update(
        assigned_at=timezone.now() - datetime.timedelta(days=15)
    )
    page = client.get("/").content.decode()
    assert "3 cases newly assigned to you" in page


# The sending caseworker finds her handovers.


def test_a_caseworker_finds_the_handovers_she_sent_after_they_are_accepted(as_user, personas):
    from retorno.cases.tests.factories import handed_over

    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    reference = handover.case.reference
    ana = as_user(personas.ana)
    sent_page = ana.get(reverse("cases:handover_sent", args=[handover.public_id])).content
    handovers_url = reverse("cases:handovers")
    assert f'href="{handovers_url}"' in sent_page.decode()
    actions.accept_handover(handover, actor=acting(personas.mateo), caseworker=personas.lucia)
    response = ana.get(handovers_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sent by you" in page
    assert reference in page and "Lima national desk" in page and "Accepted" in page
    # The case is gone from her default list; the link finds it.
    link = page.split("?handed_over=on")[1].split('"')[0].replace("&amp;", "&")
    cases = ana.get(reverse("cases:list") + "?handed_over=on" + link).content.decode()
    assert reference in cases
    assert reference not in ana.get(reverse("cases:list")).content.decode()
    # No deciding for a caseworker: nothing waiting, no accept button anywhere.
    assert "Accept handover" not in page
    detail = ana.get(reverse("cases:handover", args=[handover.public_id]))
    assert detail.status_code == 200 and "Accept handover" not in detail.content.decode()
    # Her coordinator sees it among the desk's, read-only.
    page = as_user(personas.bruno).get(handovers_url).content.decode()
    assert "Sent by your desk" in page and reference in page


def test_the_handovers_section_is_in_a_caseworkers_navigation(as_user, personas):
    page = as_user(personas.ana).get("/").content.decode()
    assert f'href="{reverse("cases:handovers")}"' in page


def test_a_sensitive_case_accepted_elsewhere_is_gone_from_the_senders_handovers(as_user, personas):
    from retorno.cases.tests.factories import handed_over

    case = register(personas.ana)
    actions.record_vulnerability(case, actor=acting(personas.ana), categories=["gbv"])
    handover = handed_over(case, personas.ana, personas.org("LIM"))
    ana = as_user(personas.ana)
    sent_page = ana.get(reverse("cases:handover_sent", args=[handover.public_id])).content
    assert "Because the case is sensitive, once it is accepted only the new desk sees it" in (
        sent_page.decode()
    )
    actions.accept_handover(handover, actor=acting(personas.mateo), caseworker=personas.lucia)
    page = ana.get(reverse("cases:handovers")).content.decode()
    assert case.reference not in page
    assert ana.get(reverse("cases:handover", args=[handover.public_id])).status_code == 404
