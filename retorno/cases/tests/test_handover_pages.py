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
