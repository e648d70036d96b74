import pytest
from django.core.management import CommandError, call_command

from retorno.accounts.models import Membership, Organisation, User
from retorno.grants.models import Envelope, Grant, Instalment, Receipt
from retorno.grants.rules import HOLDING
from retorno.lib.money import CURRENCIES

pytestmark = pytest.mark.django_db

CODES = {"MIL", "MAD", "LIS", "LPZ", "BSB", "SCL", "BOG", "UIO", "ASU", "LIM", "MVD", "COORD"}


def test_load_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("load_demo")


def test_load_demo_builds_the_desks_and_accounts_and_running_it_twice_changes_nothing(
    settings, capsys
):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "ana.milano" in out and "retorno-demo" in out
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    passwords = dict(User.objects.values_list("username", "password"))
    grants = _grants_snapshot()
    call_command("load_demo", "--force")
    assert _grants_snapshot() == grants
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert set(Organisation.objects.values_list("code", flat=True)) >= CODES
    _assert_demo_grants()
    assert Organisation.objects.filter(kind="partner", country__in=["PE", "CO"]).count() >= 2
    carla = User.objects.get(username="carla.partner")
    assert carla.memberships.get().organisation.city == "Lima"
    assert carla.check_password("retorno-demo")


def _grants_snapshot():
    return (
        sorted(Grant.objects.values_list("public_id", "status", "version", "committed_eur")),
        sorted(
            Envelope.objects.values_list("public_id", "amount_eur", "committed_eur", "paid_eur")
        ),
        Instalment.objects.filter(paid_on__isnull=False).count(),
        Receipt.objects.count(),
    )


def _assert_demo_grants():
    """Grants in every state and currency; each envelope holds what its grants hold."""
    assert set(Grant.objects.values_list("status", flat=True)) == set(Grant.Status.values)
    assert set(Grant.objects.values_list("currency", flat=True)) == set(CURRENCIES)
    business = Grant.objects.filter(grant_type="self_employment").exclude(business_activity="")
    assert business.filter(quotes__isnull=False).distinct().count() >= 5
    assert Receipt.objects.count() >= Instalment.objects.filter(paid_on__isnull=False).count()
    national = Organisation.objects.filter(kind="national_desk")
    assert set(Envelope.objects.filter(grant_type="").values_list("desk", flat=True)) == set(
        national.values_list("pk", flat=True)
    )
    assert Envelope.objects.filter(desk__code="LIM").exclude(grant_type="").exists()
    for envelope in Envelope.objects.all():
        grants = Grant.objects.filter(cycle=envelope.cycle, desk=envelope.desk)
        if envelope.grant_type:
            grants = grants.filter(grant_type=envelope.grant_type)
        holding = [g for g in grants if g.status in HOLDING]
        assert envelope.committed_eur == sum(g.committed_eur for g in holding), envelope
        assert envelope.paid_eur == sum(g.paid_eur for g in grants), envelope
        assert envelope.paid_eur > 0 or envelope.grant_type or envelope.desk.code == "MVD"
