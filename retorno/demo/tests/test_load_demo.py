import pytest
from django.core.management import CommandError, call_command

from retorno.accounts.models import Membership, Organisation, User

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
    call_command("load_demo", "--force")
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert set(Organisation.objects.values_list("code", flat=True)) >= CODES
    assert Organisation.objects.filter(kind="partner", country__in=["PE", "CO"]).count() >= 2
    carla = User.objects.get(username="carla.partner")
    assert carla.memberships.get().organisation.city == "Lima"
    assert carla.check_password("retorno-demo")
