"""Every account and programme action leaves its audit event: the verb, who, on what, and what
changed."""

import datetime

import pytest

from retorno.accounts import actions
from retorno.conftest import acting
from retorno.programmes import actions as programme_actions
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db


def test_organisations_users_roles_and_tokens(personas):
    admin = acting(personas.admin)
    desk = actions.create_organisation(
        actor=admin,
        code="GYE",
        name="Guayaquil national desk",
        kind="national_desk",
        country="EC",
        city="Guayaquil",
    )
    assert_audited("organisation.created", actor=admin, target=desk)
    actions.update_organisation(desk, actor=admin, city="Guayaquil centro")
    assert_audited(
        "organisation.updated",
        actor=admin,
        target=desk,
        changes={"city": ["Guayaquil", "Guayaquil centro"]},
    )
    user = actions.invite_user(
        personas.org("LIM"),
        actor=admin,
        username="nora",
        email="nora@retorno.example",
        first_name="Nora",
        last_name="Paz",
        role="caseworker",
    )
    assert_audited("user.invited", actor=admin, target=user)
    membership = actions.add_membership(
        user, actor=admin, organisation=personas.org("UIO"), role="caseworker"
    )
    assert_audited("membership.added", actor=admin, target=user)
    actions.deactivate_membership(membership, actor=admin, reason="Moved")
    assert_audited("membership.deactivated", actor=admin, target=user)
    nora = acting(user)
    actions.set_preferred_language(user, actor=nora, language="es")
    assert_audited(
        "user.language_changed",
        actor=nora,
        target=user,
        changes={"preferred_language": ["", "es"]},
    )
    token, _key = actions.create_token(user, actor=nora, name="laptop", membership=nora.membership)
    assert_audited("token.created", actor=nora, target=user, detail={"name": "laptop"})
    actions.revoke_token(token, actor=nora)
    assert_audited("token.revoked", actor=nora, target=user, detail={"token": token.prefix})
    actions.deactivate_user(user, actor=admin, reason="Left")
    assert_audited("user.deactivated", actor=admin, target=user)


def test_programmes_and_cycles(personas):
    admin = acting(personas.admin)
    programme = programme_actions.create_programme(actor=admin, code="RET2", name="Retorno II")
    assert_audited(
        "programme.created", actor=admin, target=programme, detail={"name": "Retorno II"}
    )
    dates = {"starts_on": datetime.date(2027, 1, 1), "ends_on": datetime.date(2027, 12, 31)}
    cycle = programme_actions.create_cycle(
        programme,
        actor=admin,
        name="2027",
        target_people=1000,
        desks=[personas.org("MIL")],
        **dates,
    )
    assert_audited(
        "cycle.created", actor=admin, target=cycle, detail={"programme": "RET2", "desks": ["MIL"]}
    )
    programme_actions.update_cycle(
        cycle, actor=admin, name="2027", target_people=1200, desks=[personas.org("MIL")], **dates
    )
    assert_audited(
        "cycle.updated", actor=admin, target=cycle, changes={"target_people": [1000, 1200]}
    )


def test_signing_in_and_out(personas):
    ana = personas.ana
    actions.record_sign_in(ana)
    assert_audited("signin.succeeded", actor=ana)
    actions.record_sign_out(ana)
    assert_audited("signin.signed_out", actor=ana)
    actions.record_failed_sign_in("ana.milano", locked=False)
    assert_audited("signin.failed", actor=None, target=ana, detail={"account_exists": True})
    actions.record_failed_sign_in("nobody", locked=True)
    assert_audited("signin.locked", actor=None, detail={"account_exists": False})
