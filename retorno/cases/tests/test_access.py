"""Who sees which case: the desk, the sensitive rule, the read-only summary after a handover."""

import pytest
from django.urls import reverse

from retorno.cases import access, actions
from retorno.cases.tests.factories import handed_over, register
from retorno.conftest import acting

pytestmark = pytest.mark.django_db


def visible(user, case):
    return access.cases_visible_to(acting(user)).filter(pk=case.pk).exists()


def summary_visible(user, case):
    return access.case_summaries_visible_to(acting(user)).filter(pk=case.pk).exists()


def test_a_desk_sees_its_own_cases_only(personas):
    case = register(personas.ana)
    assert visible(personas.ana, case) and visible(personas.bruno, case)
    for other in ("dario", "lucia", "mateo", "carla", "eva", "pia", "admin", "olga"):
        assert not summary_visible(personas[other], case), other


def test_a_sensitive_case_is_seen_only_by_its_caseworkers_and_the_desk_coordinators(
    personas, as_user
):
    case = register(personas.ana)
    actions.record_vulnerability(case, actor=acting(personas.ana), categories=["trafficking"])
    from retorno.accounts.actions import invite_user

    giulia = invite_user(
        personas.org("MIL"),
        actor=acting(personas.bruno),
        username="giulia",
        email="giulia@retorno.example",
        first_name="Giulia",
        last_name="Verdi",
        role="caseworker",
    )
    assert visible(personas.ana, case)
    assert visible(personas.bruno, case)
    assert not summary_visible(giulia, case)
    client = as_user(giulia)
    assert client.get(reverse("cases:case", args=[case.public_id])).status_code == 404
    page = client.get(reverse("cases:list")).content.decode()
    assert case.reference not in page
    assert "Cases (0)" in page


def test_after_a_handover_the_sending_desk_reads_only_the_summary(personas, as_user):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    case = actions.accept_handover(
        handover, actor=acting(personas.mateo), caseworker=personas.lucia
    )
    assert visible(personas.lucia, case)
    assert not visible(personas.ana, case)
    assert summary_visible(personas.ana, case)
    client = as_user(personas.ana)
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert "Lima national desk has owned this case since" in page
    assert "You can read this summary while it is open." in page
    assert client.get(reverse("cases:journal", args=[case.public_id])).status_code == 404
    assert client.get(reverse("cases:documents", args=[case.public_id])).status_code == 404
    assert (
        client.post(
            reverse("cases:phase", args=[case.public_id]), {"phase": "reintegration"}
        ).status_code
        == 403  # visible (the summary) but not writable
    )
    # Once the case is closed the summary is gone too.
    actions.close_case(case, actor=acting(personas.lucia), reason="completed")
    assert not summary_visible(personas.ana, case)


def test_a_sensitive_case_leaves_no_summary_behind_after_handover(personas):
    case = register(personas.ana)
    actions.record_vulnerability(case, actor=acting(personas.ana), categories=["gbv"])
    handover = handed_over(case, personas.ana, personas.org("LIM"))
    # While waiting, the receiving coordinators see it to decide.
    assert summary_visible(personas.mateo, handover.case)
    assert not summary_visible(personas.lucia, handover.case)
    case = actions.accept_handover(
        handover, actor=acting(personas.mateo), caseworker=personas.lucia
    )
    assert visible(personas.lucia, case)
    assert not summary_visible(personas.ana, case)
    assert not summary_visible(personas.bruno, case)


def test_a_confidential_entry_does_not_exist_for_other_caseworkers(personas, as_user):
    from django.utils import timezone

    case = register(personas.ana)
    actions.assign_caseworker(case, actor=acting(personas.bruno), user=personas.bruno)
    entry = actions.add_journal_entry(
        case,
        actor=acting(personas.ana),
        kind="psychosocial",
        occurred_on=timezone.localdate(),
        summary="Talked about what happened in Milan.",
        confidential=True,
    )
    from retorno.accounts.actions import invite_user

    giulia = invite_user(
        personas.org("MIL"),
        actor=acting(personas.bruno),
        username="giulia",
        email="giulia@retorno.example",
        first_name="Giulia",
        last_name="Verdi",
        role="caseworker",
    )
    assert access.journal_visible_to(acting(personas.ana), case).filter(pk=entry.pk).exists()
    assert access.journal_visible_to(acting(personas.bruno), case).filter(pk=entry.pk).exists()
    assert not access.journal_visible_to(acting(giulia), case).exists()
    page = as_user(giulia).get(reverse("cases:journal", args=[case.public_id])).content.decode()
    assert "Talked about" not in page
    assert "Counselling sessions, calls and visits will appear here." in page
    timeline = (
        as_user(giulia).get(reverse("cases:timeline", args=[case.public_id])).content.decode()
    )
    assert "Psychosocial session" not in timeline


def test_similar_persons_never_reveal_a_sensitive_case(personas):
    from retorno.cases import matching, queries

    case = register(personas.ana)
    actions.record_vulnerability(case, actor=acting(personas.ana), categories=["gbv"])
    other = register(personas.dario, given_names="Rosa", first_surname="Flores")
    record = matching.PersonRecord(
        key="new",
        given_names="Maria",
        first_surname="Quispe",
        second_surname="Huaman",
        birth_year=1986,
        birth_month=3,
        birth_day=27,
    )
    shown, hidden = queries.similar_persons(acting(personas.dario), record)
    assert shown == [] and hidden is False
    record2 = matching.PersonRecord(
        key="new",
        given_names="Rosa",
        first_surname="Flores",
        second_surname="Huamán",
        birth_year=1986,
        birth_month=3,
        birth_day=27,
    )
    shown, hidden = queries.similar_persons(acting(personas.ana), record2)
    assert shown == [] and hidden is True
    shown, hidden = queries.similar_persons(acting(personas.dario), record2)
    assert [p.pk for p, _m in shown] == [other.person.pk]


def test_the_records_of_a_case_open_only_through_full_access(personas):
    from django.http import Http404

    from retorno.cases.models import Consent

    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    case = actions.accept_handover(
        handover, actor=acting(personas.mateo), caseworker=personas.lucia
    )
    summary = access.get_case_for_user(acting(personas.ana), case.public_id, summary=True)
    assert summary.access == access.SUMMARY
    with pytest.raises(Http404):
        access.of_case(summary, Consent)
    assert access.of_case(summary, type(handover), summary_ok=True).count() == 1
    with pytest.raises(Http404):
        access.of_case(case, Consent)  # not obtained through the access policy


def test_the_visible_tasks_are_those_of_the_visible_cases(personas):
    # tasks_visible_to writes the case rule on the task (My work starts from the tasks).
    import datetime

    due = datetime.date(2026, 1, 5)
    plain = register(personas.ana)
    sensitive = register(personas.ana, given_names="Rosa")
    actions.record_vulnerability(sensitive, actor=acting(personas.ana), categories=["gbv"])
    handover = handed_over(
        register(personas.ana, given_names="Ines"), personas.ana, personas.org("LIM")
    )
    madrid = register(personas.dario)
    for case, author in (
        (plain, personas.ana),
        (sensitive, personas.ana),
        (madrid, personas.dario),
    ):
        actions.create_task(case, actor=acting(author), title="Call", assignee=author, due_on=due)
    actions.create_task(
        handover.case, actor=acting(personas.ana), title="Call", assignee=personas.ana, due_on=due
    )
    moved = actions.accept_handover(
        handover, actor=acting(personas.mateo), caseworker=personas.lucia
    )
    ids = {plain.pk, sensitive.pk, moved.pk, madrid.pk}
    expected = {
        "ana": {plain.pk, sensitive.pk},
        "bruno": {plain.pk, sensitive.pk},
        "lucia": {moved.pk},
        "dario": {madrid.pk},
        "carla": set(),
    }

    def seen(user):
        return set(access.tasks_visible_to(user).values_list("case_id", flat=True))

    for name, cases in expected.items():
        user = acting(personas[name])
        assert seen(user) == cases, name
        assert (
            set(access.cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
            == cases
        )
    # A caseworker of Milan who is not assigned does not see the sensitive case's task.
    actions.unassign_caseworker(sensitive, actor=acting(personas.bruno), user=personas.ana)
    assert seen(acting(personas.ana)) == {plain.pk}


def test_get_case_for_user_answers_404_to_an_outsider_and_403_to_a_summary_reader(personas):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    case = actions.accept_handover(
        handover, actor=acting(personas.mateo), caseworker=personas.lucia
    )
    # The owning desk reads and changes it.
    assert access.get_case_for_user(acting(personas.lucia), case.public_id, write=True) == case
    # The sending desk reads the summary: it may not change the case (403), nor open its
    # sub-pages (404, as if they did not exist).
    with pytest.raises(PermissionDenied):
        access.get_case_for_user(acting(personas.ana), case.public_id, write=True)
    with pytest.raises(Http404):
        access.get_case_for_user(acting(personas.ana), case.public_id)
    # An outsider gets 404 whatever they ask.
    for kwargs in ({}, {"summary": True}, {"write": True}):
        with pytest.raises(Http404):
            access.get_case_for_user(acting(personas.dario), case.public_id, **kwargs)


def test_a_waiting_handover_is_read_but_not_changed_by_the_receiving_desk(personas):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    case = handover.case
    # The receiving coordinator sees the summary to decide, and may decide on the handover...
    assert access.get_case_for_user(acting(personas.mateo), case.public_id, summary=True)
    assert access.get_handover_for_user(acting(personas.mateo), handover.public_id, write=True)
    # ...but not change the case while it waits (403), and the sending desk may not decide (403).
    with pytest.raises(PermissionDenied):
        access.get_case_for_user(acting(personas.mateo), case.public_id, write=True)
    with pytest.raises(PermissionDenied):
        access.get_handover_for_user(acting(personas.ana), handover.public_id, write=True)
    with pytest.raises(Http404):
        access.get_handover_for_user(acting(personas.dario), handover.public_id, write=True)
