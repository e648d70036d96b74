"""The grant pages: what each user sees and may do, amounts in the reader's language, refusals
that say the figures, forms that keep what was typed, and double submissions that count once."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from retorno.audit.models import AuditEvent
from retorno.conftest import acting
from retorno.grants import actions
from retorno.grants.models import Grant
from retorno.grants.tests import factories as f
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"grants:{name}", args=args)


def test_smoke_every_page_renders(as_user, personas):
    case = f.funded_case(personas)
    grant = f.business_draft(case, personas)
    lucia = as_user(personas.lucia)
    for page in (
        url("list"),
        url("case", case.public_id),
        url("create", f.economic_action(case).public_id),
        url("detail", grant.public_id),
        url("edit", grant.public_id),
        url("quote_add", grant.public_id),
        url("instalments", grant.public_id),
        url("cancel", grant.public_id),
        reverse("plans:plan", args=[case.public_id]),
    ):
        response = lucia.get(page)
        assert response.status_code == 200, page
