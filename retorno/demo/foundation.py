"""The demo's organisations and accounts. Tests build their personas with the same code, so the
demo and the tests cannot drift. Everything here is idempotent: running it twice changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from retorno.accounts.models import Membership, Organisation, User
from retorno.accounts.roles import Role
from retorno.programmes.models import Cycle, Programme

DEMO_PASSWORD = "retorno-demo"

K = Organisation.Kind

# code, name, kind, country, city, time zone
ORGANISATIONS = [
    ("MIL", "Milan desk", K.EUROPEAN_DESK, "IT", "Milano", "Europe/Rome"),
    ("MAD", "Madrid desk", K.EUROPEAN_DESK, "ES", "Madrid", "Europe/Madrid"),
    ("LIS", "Lisbon desk", K.EUROPEAN_DESK, "PT", "Lisboa", "Europe/Lisbon"),
    ("LPZ", "La Paz national desk", K.NATIONAL_DESK, "BO", "La Paz", "America/La_Paz"),
    ("BSB", "Brasília national desk", K.NATIONAL_DESK, "BR", "Brasília", "America/Sao_Paulo"),
    ("SCL", "Santiago national desk", K.NATIONAL_DESK, "CL", "Santiago", "America/Santiago"),
    ("BOG", "Bogotá national desk", K.NATIONAL_DESK, "CO", "Bogotá", "America/Bogota"),
    ("UIO", "Quito national desk", K.NATIONAL_DESK, "EC", "Quito", "America/Guayaquil"),
    ("ASU", "Asunción national desk", K.NATIONAL_DESK, "PY", "Asunción", "America/Asuncion"),
    ("LIM", "Lima national desk", K.NATIONAL_DESK, "PE", "Lima", "America/Lima"),
    ("MVD", "Montevideo national desk", K.NATIONAL_DESK, "UY", "Montevideo", "America/Montevideo"),
    ("COORD", "Programme coordination", K.COORDINATION, "IT", "Roma", "Europe/Rome"),
    ("CFPLIM", "Centro de Formación Profesional Lima", K.PARTNER, "PE", "Lima", "America/Lima"),
    ("PSILIM", "Centro de Salud Mental Comunitario Lima", K.PARTNER, "PE", "Lima", "America/Lima"),
    ("EMPBOG", "Agencia de Empleo Bogotá", K.PARTNER, "CO", "Bogotá", "America/Bogota"),
    ("LEGBOG", "Consultorio Jurídico Bogotá", K.PARTNER, "CO", "Bogotá", "America/Bogota"),
]


# The names of the desks in the platform's other languages (it, es, pt); partners keep their
# proper names.
LOCAL_NAMES = {
    "MIL": ("Sportello di Milano", "Oficina de Milán", "Escritório de Milão"),
    "MAD": ("Sportello di Madrid", "Oficina de Madrid", "Escritório de Madri"),
    "LIS": ("Sportello di Lisbona", "Oficina de Lisboa", "Escritório de Lisboa"),
    "LPZ": (
        "Sportello nazionale di La Paz",
        "Oficina nacional de La Paz",
        "Escritório nacional de La Paz",
    ),
    "BSB": (
        "Sportello nazionale di Brasilia",
        "Oficina nacional de Brasilia",
        "Escritório nacional de Brasília",
    ),
    "SCL": (
        "Sportello nazionale di Santiago",
        "Oficina nacional de Santiago",
        "Escritório nacional de Santiago",
    ),
    "BOG": (
        "Sportello nazionale di Bogotà",
        "Oficina nacional de Bogotá",
        "Escritório nacional de Bogotá",
    ),
    "UIO": (
        "Sportello nazionale di Quito",
        "Oficina nacional de Quito",
        "Escritório nacional de Quito",
    ),
    "ASU": (
        "Sportello nazionale di Asunción",
        "Oficina nacional de Asunción",
        "Escritório nacional de Assunção",
    ),
    "LIM": (
        "Sportello nazionale di Lima",
        "Oficina nacional de Lima",
        "Escritório nacional de Lima",
    ),
    "MVD": (
        "Sportello nazionale di Montevideo",
        "Oficina nacional de Montevideo",
        "Escritório nacional de Montevidéu",
    ),
    "COORD": (
        "Coordinamento del programma",
        "Coordinación del programa",
        "Coordenação do programa",
    ),
}


@dataclass(frozen=True)
class Account:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str
    language: str


ACCOUNTS = [
    Account("ana.milano", "Ana", "Rossi", Role.CASEWORKER, "MIL", "it"),
    Account("bruno.milano", "Bruno", "Ferrari", Role.COORDINATOR, "MIL", "it"),
    Account("dario.madrid", "Darío", "García", Role.CASEWORKER, "MAD", "es"),
    Account("lucia.lima", "Lucía", "Mendoza", Role.CASEWORKER, "LIM", "es"),
    Account("mateo.lima", "Mateo", "Rojas", Role.COORDINATOR, "LIM", "es"),
    Account("carla.partner", "Carla", "Huamán", Role.PARTNER, "CFPLIM", "es"),
    Account("eva.me", "Eva", "Conti", Role.ME_OFFICER, "COORD", "en"),
    # Programme coordination: sets the grant budgets and approves the grants above the policy's
    # amount.
    Account("irene.coord", "Irene", "Romano", Role.COORDINATOR, "COORD", "it"),
    Account("olga.outreach", "Olga", "Bianchi", Role.OUTREACH_OFFICER, "MIL", "it"),
    Account("pia.dpo", "Pia", "Marino", Role.DPO, "COORD", "en"),
    Account("admin", "Alex", "Admin", Role.ADMINISTRATOR, "COORD", "en"),
    # One coordinator for each other desk, so every desk has cases in the demo.
    Account("sofia.madrid", "Sofía", "Navarro", Role.COORDINATOR, "MAD", "es"),
    Account("joao.lisboa", "João", "Pereira", Role.COORDINATOR, "LIS", "pt"),
    Account("rosa.lapaz", "Rosa", "Mamani", Role.COORDINATOR, "LPZ", "es"),
    Account("paulo.brasilia", "Paulo", "Souza", Role.COORDINATOR, "BSB", "pt"),
    Account("camila.santiago", "Camila", "Muñoz", Role.COORDINATOR, "SCL", "es"),
    Account("andres.bogota", "Andrés", "Gómez", Role.COORDINATOR, "BOG", "es"),
    Account("diego.quito", "Diego", "Vera", Role.COORDINATOR, "UIO", "es"),
    Account("nilda.asuncion", "Nilda", "Benítez", Role.COORDINATOR, "ASU", "es"),
    Account("martin.montevideo", "Martín", "Silva", Role.COORDINATOR, "MVD", "es"),
    # A caseworker at each other national desk: plans are drafted by one person and approved
    # by another.
    Account("wilma.lapaz", "Wilma", "Condori", Role.CASEWORKER, "LPZ", "es"),
    Account("beatriz.brasilia", "Beatriz", "Lima", Role.CASEWORKER, "BSB", "pt"),
    Account("tomas.santiago", "Tomás", "Reyes", Role.CASEWORKER, "SCL", "es"),
    Account("laura.bogota", "Laura", "Díaz", Role.CASEWORKER, "BOG", "es"),
    Account("pablo.quito", "Pablo", "Andrade", Role.CASEWORKER, "UIO", "es"),
    Account("ramon.asuncion", "Ramón", "Giménez", Role.CASEWORKER, "ASU", "es"),
    Account("elena.montevideo", "Elena", "Pereira", Role.CASEWORKER, "MVD", "es"),
]


@transaction.atomic
def ensure_organisations() -> dict[str, Organisation]:
    organisations = {}
    for code, name, kind, country, city, tz in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "country": country,
                "city": city,
                "time_zone": tz,
                "help_email": f"help.{code.lower()}@retorno.example" if kind != K.PARTNER else "",
            },
        )
        if code in LOCAL_NAMES and not (org.name_it or org.name_es or org.name_pt):
            # Also fills the names of a demo database made before they existed.
            org.name_it, org.name_es, org.name_pt = LOCAL_NAMES[code]
            org.save(update_fields=["name_it", "name_es", "name_pt", "updated_at"])
        organisations[code] = org
    return organisations


@transaction.atomic
def ensure_accounts(organisations: dict[str, Organisation], *, password_hash: str | None = None):
    """Create the demo accounts that are missing. `password_hash` lets tests skip Argon2."""
    users = {}
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(
                username=account.username,
                first_name=account.first_name,
                last_name=account.last_name,
                email=f"{account.username}@retorno.example",
                preferred_language="",
            )
            if password_hash:
                user.password = password_hash
            else:
                user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user, organisation=organisations[account.organisation], role=account.role
        )
        users[account.username] = user
    return users


@transaction.atomic
def ensure_programme(organisations: dict[str, Organisation]):
    """The demo programme and its current cycle, with every desk taking part."""

    programme, _ = Programme.objects.get_or_create(
        code="RETORNO",
        defaults={
            "name": "Retorno sostenibile",
            "description": "Assisted, sustainable return and reintegration to Latin America.",
        },
    )
    cycle, created = Cycle.objects.get_or_create(
        programme=programme,
        name="2026",
        defaults={
            "starts_on": datetime.date(2026, 1, 1),
            "ends_on": datetime.date(2027, 6, 30),
            "target_people": 1000,
        },
    )
    if created:
        cycle.desks.set(
            [o for o in organisations.values() if o.kind in (K.EUROPEAN_DESK, K.NATIONAL_DESK)]
        )
    return cycle


def ensure_foundation(*, password_hash: str | None = None) -> tuple[dict, dict]:
    organisations = ensure_organisations()
    users = ensure_accounts(organisations, password_hash=password_hash)
    ensure_programme(organisations)
    return organisations, users
