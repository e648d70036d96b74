"""The permission matrix's world: one of everything a route can take, built through the actions.

Built once per test module inside a transaction that is rolled back at the end of the module;
each test runs in a savepoint of it, so a POST that changes something changes it for that test
only.
"""

import datetime
from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from retorno.accounts.actions import create_token, invite_user
from retorno.cases import actions as case_actions
from retorno.cases.models import Consent
from retorno.cases.tests.factories import consent, handed_over, register
from retorno.conftest import Personas, acting
from retorno.demo.foundation import DEMO_PASSWORD, ensure_foundation
from retorno.directory import actions as directory_actions
from retorno.grants import actions as grant_actions
from retorno.grants.tests import factories as grant_factories
from retorno.monitoring import actions as monitoring_actions
from retorno.monitoring import rules as monitoring_rules
from retorno.monitoring.models import FollowUp
from retorno.outreach.actions import content as outreach_content
from retorno.outreach.actions import leads as outreach_leads
from retorno.outreach.actions import public as outreach_public
from retorno.outreach.actions import sessions as outreach_sessions
from retorno.outreach.models import Audience, Campaign, InfoSession
from retorno.outreach.tests.public_site import publish_page
from retorno.plans.models import PlanAction
from retorno.plans.tests.factories import (
    approved_plan,
    lima_case,
    sharing_consent,
    training_service,
)
from retorno.programmes.models import Cycle, Programme
from retorno.referrals import actions as referral_actions

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"

# Who stands for each persona, by the kind of object a route is about:
# (outsider, reader, permitted). The anonymous is nobody.
PERSONAS = {
    # María's case at Lima, assigned to Lucía; Milan's Ana sent it and keeps its summary.
    "case": ("dario", "ana", "lucia"),
    # A coordinator's decision on the Lima case: Lucía may read it, not take it.
    "case_coordinator": ("sofia", "lucia", "mateo"),
    # Sara's sensitive case at Milan, assigned to Ana: Giulia, at Milan too, is not assigned.
    "sensitive": ("giulia", "bruno", "ana"),
    "sensitive_coordinator": ("giulia", "ana", "bruno"),
    # Rosa's handover from Milan, waiting at Lima's coordinator; Ana sent it.
    "handover": ("sofia", "ana", "mateo"),
    # The referral to the Lima training centre: Lucía sent it, Carla answers it.
    "inbox": ("dario", "lucia", "carla"),
    # A desk's own work: the M&E officer has no cases.
    "desk": ("carla", "eva", "ana"),
    # A coordinator's page without an object.
    "desk_coordinator": ("carla", "ana", "bruno"),
    # Lima's directory: anyone at a desk reads it, Lima's coordinator keeps it.
    "directory": ("rosa", "lucia", "mateo"),
    # Administration: organisations, users, programmes.
    "admin": ("bruno", "pia", "admin"),
    # One's own account.
    "own": ("carla", "eva", "ana"),
    # Pages for everyone.
    "public": ("carla", "eva", "ana"),
    # A grant on the Lima case: Madrid's Darío sees nothing of it, programme coordination
    # (Irene) reads it without the person's name, Lucía prepares it.
    "grant": ("dario", "irene", "lucia"),
    # A decision on a grant: Lucía reads the grant but never decides, Mateo does.
    "grant_coordinator": ("sofia", "lucia", "mateo"),
    # A desk's budget: Madrid's coordinator does not read Lima's, the M&E officer reads it, Lima's
    # coordinator reads it.
    "budget": ("sofia", "eva", "mateo"),
    # Setting a desk's envelope: programme coordination only; Lima's coordinator reads it.
    "envelope": ("sofia", "mateo", "irene"),
    # A cycle's grant policy: a caseworker reads no budget; a coordinator reads it; programme
    # coordination sets it.
    "policy": ("lucia", "mateo", "irene"),
    # The grants API (_grants_api_world): Lucía's request for María, waiting for Lima's
    # coordinator; programme coordination reads it and changes nothing of it.
    "api_grant": ("dario", "irene", "lucia"),
    "api_grant_decision": ("sofia", "lucia", "mateo"),
    # A cycle's grant policy: read by who works on cases, set by programme coordination.
    "api_policy": ("carla", "lucia", "irene"),
    # Envelopes and budgets: the M&E officer reads them, programme coordination sets them.
    "api_budget": ("lucia", "eva", "irene"),
    # Survey versions and programmes' schedules (_monitoring_api_world): every member of staff
    # reads them, programme coordination loads and sets them.
    "api_schedule": ("lucia", "mateo", "irene"),
    # A desk's monitoring figures: Bogotá's coordinator does not read Lima's, a caseworker reads
    # no desk's, Lima's coordinator reads Lima's.
    "api_desk_monitoring": ("andres", "lucia", "mateo"),
    # A desk's monitoring page: a partner and a caseworker have none; Lima's coordinator is sent
    # to Lima's.
    "monitoring_desk": ("carla", "lucia", "mateo"),
    # Lima's monitoring page: Madrid's coordinator does not see it, a caseworker reads no desk
    # page, Lima's coordinator does.
    "monitoring_desk_of": ("sofia", "lucia", "mateo"),
    # A programme's monitoring schedule: programme coordination sets it.
    "monitoring_schedule": ("lucia", "mateo", "irene"),
    # Leads in the API (_outreach_api_world): a lead for Milan. Madrid's Darío works leads but not
    # Milan's; the M&E officer works no lead; Milan's outreach officer does.
    "api_leads": ("dario", "eva", "olga"),
    # The public site's editors: outreach officers only; a partner and a caseworker get 403.
    "public_content": ("carla", "ana", "olga"),
    # Leads: Milan's, triaged by Olga; Darío (Madrid) does not see them. Milan's inbox: a partner
    # has none, Madrid's caseworker reads Madrid's, Olga Milan's. The settings of leads: a
    # caseworker reads them, Milan's coordinator sets Milan's days.
    "lead": ("dario", "dario", "olga"),
    "leads": ("carla", "dario", "olga"),
    "lead_settings": ("carla", "ana", "bruno"),
    # The campaign (_outreach_sessions_world): a partner has no part in it, a Milan caseworker
    # reads it, the Milan outreach officer runs it.
    "outreach_campaign": ("carla", "ana", "olga"),
    # A Milan info session: a partner sees nothing of it, a Madrid caseworker reads it (not who
    # signed up) and changes nothing, the Milan outreach officer runs it.
    "outreach_session": ("carla", "dario", "olga"),
    # Who signed up for the Milan session: the Madrid caseworker gets 404, the Milan caseworker
    # reads the names, the outreach officer records attendance.
    "outreach_signups": ("dario", "ana", "olga"),
    # The campaign's figures: a partner and a caseworker do not read them, the M&E officer does.
    "outreach_figures": ("carla", "ana", "eva"),
}

NAMES = sorted({name for trio in PERSONAS.values() for name in trio})


@contextmanager
def world_in_transaction(media_root):
    """Yield the world; everything in it is rolled back on exit."""
    with (
        override_settings(
            MEDIA_ROOT=str(media_root),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            RETORNO_MFA_REQUIRED_ROLES=[],
        ),
        transaction.atomic(),
    ):
        yield build()
        transaction.set_rollback(True)


def build() -> dict:
    organisations, users = ensure_foundation(
        password_hash=make_password(DEMO_PASSWORD, hasher="md5")
    )
    people = Personas({name.split(".")[0]: user for name, user in users.items()})
    people["organisations"] = organisations
    lucia, ana = acting(people.lucia), acting(people.ana)
    people["giulia"] = invite_user(
        organisations["MIL"],
        actor=acting(people.admin),
        username="giulia",
        email="giulia@retorno.example",
        first_name="Giulia",
        last_name="Test",
        role="caseworker",
    )
    sensitive = case_actions.record_vulnerability(
        register(ana, given_names="Sara", first_surname="Rojas"), actor=ana, categories=["gbv"]
    )

    case = lima_case(people)
    service = training_service(people)
    plan = approved_plan(case, people, service=service)
    action = PlanAction.objects.get(goal__plan=plan)
    sharing_consent(case, people)
    referral = referral_actions.refer(
        case,
        actor=lucia,
        service=service,
        plan_action=action,
        need="A sewing course",
        shared_fields=["name", "phone", "need"],
    )
    statistics = consent(case, lucia, Consent.Purpose.STATISTICS)
    entry = case_actions.add_journal_entry(
        case,
        actor=lucia,
        kind="counselling",
        occurred_on=timezone.localdate(),
        summary="Talked about the sewing course.",
    )
    task = case_actions.create_task(
        case,
        actor=lucia,
        title="Call her",
        assignee=lucia,
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    document = case_actions.upload_document(
        case,
        actor=lucia,
        uploaded_file=SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf"),
        kind="identity",
        title="Passport",
    )
    member = case_actions.add_household_member(
        case,
        actor=lucia,
        relationship="child",
        person={"given_names": "Luz", "first_surname": "Quispe", "sex": "female"},
    )
    pending = handed_over(
        register(ana, given_names="Rosa", first_surname="Flores"), ana, organisations["LIM"]
    )
    organization = service.organization
    program = directory_actions.create_program(
        organization, actor=acting(people.mateo), name="Programa Retorno Productivo"
    )
    token, _key = create_token(
        people.ana, actor=acting(people.ana), name="matrix", membership=ana.membership
    )
    keys = {}
    for name in NAMES:
        user = acting(people[name])
        _token, keys[name] = create_token(
            user, actor=user, name="matrix", membership=user.membership
        )
    # Grants on the Lima case: a draft with a quote, a submitted request, an approved grant.
    grant_factories.policy(case.cycle, people)
    grant_factories.envelope(case.cycle, organisations["LIM"], people)
    grant = grant_factories.business_draft(case, people)
    submitted = grant_factories.submitted(case, people)
    approved = grant_factories.approved(case, people, amount="430")
    grant_actions.plan_instalments(
        approved,
        actor=lucia,
        instalments=[(timezone.localdate(), approved.amount)],
    )
    programme = Programme.objects.order_by("id").first()
    grants_api = _grants_api_world(people, case)
    monitoring_api = _monitoring_api_world(people, case)
    monitoring_pages = _monitoring_pages_world(people, case)
    content_ids = _outreach_content_world(people)
    leads_ids = _outreach_leads_world(people)
    sessions_ids = _outreach_sessions_world(people)
    public_site_ids = _public_site_world(people)
    ids = {
        "case_id": case.public_id,
        "sensitive": sensitive.public_id,
        "id": case.public_id,
        "member_id": member.public_id,
        "consent_id": statistics.public_id,
        "entry_id": entry.public_id,
        "task_id": task.public_id,
        "document_id": document.public_id,
        "handover_id": pending.public_id,
        "goal_id": action.goal.public_id,
        "action_id": action.public_id,
        "number": plan.number,
        "referral_id": referral.public_id,
        "status": "accepted",
        "programme_id": programme.public_id,
        "cycle_id": Cycle.objects.filter(programme=programme).order_by("id").first().public_id,
        "service_id": service.public_id,
        "organization_id": organization.public_id,
        "location_id": organization.locations.order_by("id").first().public_id,
        "program_id": program.public_id,
        "file_format": "csv",
        "user_id": people.lucia.public_id,
        "membership_id": acting(people.lucia).membership.public_id,
        "organisation_id": organisations["LIM"].public_id,
        "token_id": token.public_id,
        "key": "not-a-key",
        "uidb36": "zz",
        "grant_id": grant.public_id,
        "submitted_grant": submitted.public_id,
        "approved_grant": approved.public_id,
        "instalment_id": approved.instalments.get().public_id,
        "quote_document": grant.quotes.get().document.public_id,
        "desk_id": organisations["LIM"].public_id,
        "grant_cycle": case.cycle.public_id,
        # The API's {id} by the collection it belongs to.
        "cases": case.public_id,
        "persons": case.person.public_id,
        "tasks": task.public_id,
        "handovers": pending.public_id,
        "referrals": referral.public_id,
        "organisations": organisations["LIM"].public_id,
        "directory/organisations": organization.public_id,
        "directory/locations": organization.locations.order_by("id").first().public_id,
        "directory/services": service.public_id,
        **grants_api,
        **monitoring_api,
        **monitoring_pages,
        **_outreach_api_world(people),
        **content_ids,
        **leads_ids,
        **sessions_ids,
        **public_site_ids,
    }
    return {"people": people, "ids": ids, "keys": keys}


def _public_site_world(people) -> dict:
    """For the public site: the home page and "What we offer" published, a session in Milan next
    month and a place asked for by a visitor (whose cancellation link's secret the routes need)."""
    publish_page(people, "home")
    publish_page(people, "offer")
    cycle = Cycle.objects.order_by("-starts_on").first()
    campaign = Campaign.objects.create(cycle=cycle, name="Matrix campaign")
    starts = timezone.now() + datetime.timedelta(days=30)
    session = InfoSession.objects.create(
        campaign=campaign,
        desk=people.organisations["MIL"],
        title="Tornare in Perù",
        language="es",
        region="IT-25",
        province="Milano",
        venue="Casa delle Associazioni",
        address="Via Marsala 8",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        audience=Audience.MIGRANTS,
        capacity=20,
    )
    signup, secret = outreach_public.sign_up(
        session, name="Matrix Visitor", email="visitor@example.org", language="es"
    )
    return {
        "public_session": session.public_id,
        "public_signup": signup.public_id,
        "public_signup_secret": secret,
    }


def _grants_api_world(people, case) -> dict:
    """For the grants API: the case's cycle with its policy and Lima's envelope, and a request
    drafted and submitted by Lucía, with its instalment, waiting for Lima's coordinator."""
    grant_factories.policy(case.cycle, people)
    grant_factories.envelope(case.cycle, people.organisations["LIM"], people)
    api_grant = grant_factories.submitted(case, people)
    return {
        "grants": api_grant.public_id,
        "api_instalment": api_grant.instalments.get().public_id,
        "cycles": case.cycle.public_id,
    }


def _outreach_api_world(people) -> dict:
    """For the outreach API: the FAQ published, a session at Milan with a place taken, and a
    lead from Lombardy in Milan's inbox."""
    olga = acting(people.olga)
    page = outreach_content.create_page(actor=olga, key="faq", kind="page")
    outreach_content.save_version(
        page, actor=olga, language="it", title="Domande", description="Domande.", body="Testo."
    )
    outreach_content.publish(page, actor=olga, language="it")
    starts = timezone.now() + datetime.timedelta(days=7)
    session = InfoSession.objects.create(
        campaign=Campaign.objects.create(cycle=Cycle.objects.order_by("-starts_on")[0], name="C"),
        desk=people.organisations["MIL"],
        title="Tornare in Perù",
        language="es",
        region="IT-25",
        province="Milano",
        venue="Casa delle Associazioni",
        address="Via Marsala 8",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        audience="migrants",
        capacity=10,
    )
    signup, _secret = outreach_public.sign_up(
        session, name="Rosa", email="rosa@example.org", language="es"
    )
    lead = outreach_public.submit_contact_request(
        fields={
            "given_names": "Rosa",
            "surnames": "Quispe",
            "channel": "email",
            "email": "rosa@example.org",
            "region": "IT-25",
            "return_country": "PE",
            "language": "es",
        },
        consent=True,
    )
    return {
        "public_page_key": page.key,
        "public/sessions": session.public_id,
        "public/signups": signup.public_id,
        "outreach/sessions": session.public_id,
        "leads": lead.public_id,
    }


def _monitoring_api_world(people, case) -> dict:
    """For the monitoring API: the Lima case's follow-ups (planned when Lima accepted it), the
    survey started at its six-month follow-up, the default survey version, the programme's
    schedule (the defaults) and Lima's monitoring figures."""
    follow_ups = {f.month: f for f in FollowUp.objects.filter(case=case)}
    survey = monitoring_actions.start_survey(
        case, actor=acting(people.lucia), follow_up=follow_ups[6]
    )
    return {
        "follow_up_id": follow_ups[1].public_id,
        "survey_id": survey.public_id,
        "monitoring/instruments": monitoring_rules.default_instrument_version().public_id,
        "monitoring/schedules": case.cycle.programme.public_id,
        "monitoring/desks": people.organisations["LIM"].public_id,
    }


def _monitoring_pages_world(people, case) -> dict:
    """For the monitoring pages: three failed attempts at the Lima case's first follow-up (the
    case is proposed for closing as lost contact); its survey is the API world's, started at the
    six-month follow-up, so that the API can still start the baseline."""
    lucia = acting(people.lucia)
    first = FollowUp.objects.get(case=case, month=1)
    for _ in range(3):
        monitoring_actions.record_attempt(first, actor=lucia, method="phone", reason="no_answer")
    return {
        "follow_up_id": first.public_id,
        "version_id": monitoring_rules.default_instrument_version().public_id,
    }


def _outreach_content_world(people) -> dict:
    """For the public site's editors: a page written in Italian (version 1, published) and in
    Spanish (version 1, a draft); its Italian version 1 is the one restored."""
    olga = acting(people.olga)
    page = outreach_content.create_page(actor=olga, key="matrix-offer", kind="page")
    for language, title in (("it", "Il programma"), ("es", "El programa")):
        outreach_content.save_version(
            page, actor=olga, language=language, title=title, description=title, body=title
        )
    outreach_content.publish(page, actor=olga, language="it")
    return {"content_page": page.public_id}


def _outreach_leads_world(people) -> dict:
    """For the leads pages: a request to be contacted from Lombardy (Milan's inbox), and another
    that Olga closed as not interested."""
    fields = {
        "given_names": "Rosa Elena",
        "surnames": "Quispe Huamán",
        "channel": "phone",
        "phone": "+39 333 123 4567",
        "region": "IT-25",
        "province": "Milano",
        "return_country": "PE",
        "language": "es",
    }
    lead = outreach_public.create_lead(source="site", fields=fields, consent=True)
    closed = outreach_public.create_lead(source="site", fields=fields, consent=True)
    outreach_leads.mark_not_interested(closed, actor=acting(people.olga), version=1)
    return {"lead_id": lead.public_id, "closed_lead": closed.public_id}


def _outreach_sessions_world(people) -> dict:
    """For the campaign's pages: a campaign of the latest cycle, a Milan session next week with
    one sign-up and a leaflet."""
    olga = acting(people.olga)
    cycle = Cycle.objects.order_by("-starts_on").first()
    campaign = outreach_sessions.create_campaign(cycle, actor=olga, name="Tornare informati")
    starts = timezone.now() + datetime.timedelta(days=7)
    session = outreach_sessions.create_session(
        campaign,
        actor=olga,
        title="Tornare in Perù",
        language="es",
        region="IT-25",
        province="Milano",
        venue="Casa delle Associazioni",
        address="Via Marsala 8, Milano",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        audience="migrants",
        capacity=20,
    )
    outreach_public.sign_up(session, name="Rosa Quispe", email="rosa@example.org", language="es")
    material = outreach_sessions.add_material(
        session,
        actor=olga,
        title="Volantino",
        file=SimpleUploadedFile("volantino.pdf", PDF, content_type="application/pdf"),
    )
    return {
        "outreach_campaign": campaign.public_id,
        "outreach_session": session.public_id,
        "outreach_material": material.public_id,
    }
