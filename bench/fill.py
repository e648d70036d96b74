"""Fill a benchmark database with a programme of N cases (default 100,000).

    DATABASE_URL=sqlite:///$PWD/var/bench.sqlite3 .venv/bin/python bench/fill.py --cases 100000

Rows are bulk-created in batches, one transaction per chunk of cases, but they are the rows the
actions in retorno.cases.actions would write: Person.search_name from matching.search_key,
IdentityDocument.number_compact from matching.normalise_document, MatchKey rows from
matching.blocking_keys, references DESK-YEAR-NNNN with ReferenceCounter brought up to date,
assignments, household members, consents, handovers, journal entries, tasks, needs assessments,
vulnerability profiles and case events (see README.md, "What the data looks like").

Cases go through the real phase sequence: opened at a European desk (MIL, MAD, LIS) or at a
national desk, handed over with the person's transfer consent, accepted at the national desk of
the return country, closed. About 5 % are sensitive. ana.milano (Milan) and lucia.lima (Lima)
are assigned to about a third of their desk's cases, so "My work" has thousands of cases.

Then the grants of issue 10 (GrantFiller): a policy per cycle, an envelope per national desk and
cycle, about 30,000 grants in a realistic mix of states and 100,000 instalments, 80,000 of them
paid. They too are written directly, not through retorno.grants.actions, but hold what the actions
would: each envelope's committed and paid euros are the sums over its grants.

--reset deletes every case, person, grant and bench account first (never organisations, the demo
accounts, the programme or the audit trail). --if-needed does nothing when the database already
holds at least --cases cases, except fill the grants if there are none. --grants-only fills only
the grants into a database already filled (with --reset: deletes the grants first).

Then the monitoring of issue 11 (MonitoringFiller): for every case at a national desk that reached
reception (about 58,500 of 100,000), its monitoring row, its seven follow-ups by the schedule the
benchmark's programme sets, 1, 2, 3, 4, 6, 9 and 12 months after arrival (about 400,000: done
when their date has passed, mostly, some overdue, the later ones planned, with a task each for
the planned ones only), failed attempts on about 15 % of the follow-ups, and about 250,000
submitted surveys (at reception and at each follow-up) with the default instrument version,
scored by it; about 8 % of the cases are at risk by the rules' own
test. --if-needed fills the monitoring if there is none; --monitoring-only fills only it (with
--reset: deletes it first).
"""
# ruff: noqa: S311  (random numbers for fake data, not for security)

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import os
import random
import sys
import time
import uuid
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
# The fill is a script, not a server: it needs no secret, but settings refuse to start without
# one when DEBUG is off.
os.environ.setdefault("SECRET_KEY", "bench-fill-" + "x" * 40)

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from retorno.accounts.models import Membership, Organisation, User  # noqa: E402
from retorno.accounts.roles import Role  # noqa: E402
from retorno.cases import matching  # noqa: E402
from retorno.cases.models import (  # noqa: E402
    Assignment,
    Case,
    CaseEvent,
    ClosedReason,
    Consent,
    Handover,
    HouseholdMember,
    IdentityDocument,
    JournalEntry,
    MatchKey,
    NeedsAssessment,
    Person,
    Phase,
    ReferenceCounter,
    Task,
    Vulnerability,
    VulnerabilityProfile,
    WorkExperience,
)
from retorno.demo.cases import COORDINATOR as DESK_COORDINATOR  # noqa: E402
from retorno.demo.foundation import ensure_foundation  # noqa: E402
from retorno.grants.models import (  # noqa: E402
    Envelope,
    Grant,
    GrantPolicy,
    Instalment,
    TypeCap,
)
from retorno.grants.rules import HOLDING  # noqa: E402
from retorno.lib.money import (  # noqa: E402
    COUNTRY_CURRENCY,
    EUR,
    REFERENCE_RATES,
    quantum,
    to_euros,
)
from retorno.monitoring import actions as monitoring_actions  # noqa: E402
from retorno.monitoring import instrument as monitoring_instrument  # noqa: E402
from retorno.monitoring import rules as monitoring_rules  # noqa: E402
from retorno.monitoring.models import (  # noqa: E402
    CaseMonitoring,
    ContactAttempt,
    FollowUp,
    Schedule,
    Survey,
)
from retorno.programmes.models import Cycle, Programme  # noqa: E402

BENCH_USER_PREFIX = "bench."
CHUNK = 1000

# --------------------------------------------------------------------------------------------
# Names, places, phrases
# --------------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


FEMALE_ES = words(
    "María José Ana Lucía Sofía Valentina Camila Daniela Gabriela Carolina Fernanda Paola "
    "Andrea Alejandra Mónica Verónica Rocío Inés Beatriz Carmen Rosa Yolanda Patricia Elena "
    "Isabel Julia Pilar Raquel Natalia Milagros Soledad Guadalupe Dolores Ximena Luz Marisol "
    "Ángela Fabiola Maribel Jimena Nayeli Zoila Graciela Noemí Teresa Antonia Consuelo Lorena"
)
MALE_ES = words(
    "José Juan Luis Carlos Jorge Miguel Ángel Pedro Pablo Diego Andrés Javier Fernando Raúl "
    "Ricardo Alejandro Sebastián Mateo Nicolás Julián Martín Hernán Óscar Rubén Víctor Hugo "
    "Iván Mauricio Gonzalo Rodrigo Sergio Eduardo Marco Efraín Wilson Édgar Fabián Germán "
    "Tomás Joaquín Agustín Ramón Félix Darío Elías Simón Nelson Walter Franklin Álvaro"
)
FEMALE_PT = words(
    "Ana Maria Conceição Fernanda Juliana Patrícia Aline Camila Letícia Beatriz Luíza Márcia "
    "Débora Cláudia Sônia Vitória Lúcia Simone Tatiana Renata Bárbara Mônica Adriana Priscila"
)
MALE_PT = words(
    "João José Antônio Francisco Paulo Pedro Lucas Luiz Marcos Gabriel Rafael Thiago Bruno "
    "Rodrigo Fábio Sérgio Márcio Vinícius Caio Gustavo Otávio Sebastião Inácio Estêvão"
)
SURNAMES_ES = words(
    "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez "
    "Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez "
    "Vázquez Ramos Gil Ramírez Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz "
    "Rubio Marín Sanz Núñez Iglesias Medina Garrido Cortés Castillo Santos Lozano Guerrero Cano "
    "Prieto Méndez Cruz Calvo Gallego Vidal León Márquez Herrera Peña Flores Cabrera Campos Vega "
    "Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar Pascual Santana Herrero Lorenzo Montero "
    "Hidalgo Giménez Ibáñez Ferrer Durán Santiago Benítez Mora Vicente Vargas Arias Carmona "
    "Crespo Román Pastor Soto Sáez Velasco Moya Soler Parra Esteban Bravo Gallardo Rojas Quispe "
    "Mamani Condori Huamán Choque Ticona Apaza Flores Chávez Ccama Quiroga Villca Guzmán "
    "Paredes Espinoza Salazar Ayala Zambrano Mendoza Cárdenas Benavides Ocampo Arévalo Villalba "
    "Báez Giménez Acuña Bogado Benítez Insfrán Cáceres Olmedo Figueroa Saavedra Pizarro "
    "Contreras Sepúlveda Muñoz Tapia Alarcón Valenzuela Bustos Escobar Cuéllar Montes Osorio "
    "Ríos Valencia Londoño Restrepo Zapata Cardona Giraldo Patiño Pineda Montoya Jaramillo "
    "Andrade Cevallos Mejía Piñeiro Olivera Techera Silveira Sosa Cabrera Laguna Yupanqui"
)
SURNAMES_PT = words(
    "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro "
    "Martins Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento "
    "Andrade Moreira Nunes Marques Machado Mendes Freitas Cardoso Ramos Gonçalves Santana "
    "Teixeira Araújo Magalhães Conceição Brandão Falcão Guimarães Simões Assunção Damião"
)

COUNTRIES = {
    # country: (national desk, language, cities)
    "BO": ("LPZ", "es", ["La Paz", "El Alto", "Cochabamba", "Santa Cruz de la Sierra", "Oruro"]),
    "BR": ("BSB", "pt", ["Brasília", "São Paulo", "Goiânia", "Belo Horizonte", "Salvador"]),
    "CL": ("SCL", "es", ["Santiago", "Valparaíso", "Concepción", "Temuco", "Antofagasta"]),
    "CO": ("BOG", "es", ["Bogotá", "Medellín", "Cali", "Pereira", "Bucaramanga"]),
    "EC": ("UIO", "es", ["Quito", "Guayaquil", "Cuenca", "Loja", "Ambato"]),
    "PY": ("ASU", "es", ["Asunción", "Ciudad del Este", "Encarnación", "Luque", "San Lorenzo"]),
    "PE": ("LIM", "es", ["Lima", "Arequipa", "Trujillo", "Cusco", "Huancayo", "Chiclayo"]),
    "UY": ("MVD", "es", ["Montevideo", "Salto", "Paysandú", "Rivera", "Maldonado"]),
}
COUNTRY_WEIGHTS = {"PE": 18, "CO": 18, "EC": 14, "BO": 14, "BR": 12, "PY": 8, "CL": 8, "UY": 8}
EUROPEAN = {
    "MIL": ("IT", "+39 3", "it"),
    "MAD": ("ES", "+34 6", "es"),
    "LIS": ("PT", "+351 9", "pt"),
}
EUROPEAN_WEIGHTS = {"MIL": 35, "MAD": 35, "LIS": 30}
PHONE_HOME = {
    "BO": "+591 7",
    "BR": "+55 61 9",
    "CL": "+56 9",
    "CO": "+57 3",
    "EC": "+593 9",
    "PY": "+595 9",
    "PE": "+51 9",
    "UY": "+598 9",
}

PHRASES = {
    "it": [
        "Colloquio con la persona sulle condizioni del rientro.",
        "Verificati i documenti di viaggio; manca il certificato di lavoro.",
        "La persona riferisce difficoltà economiche dopo la perdita del lavoro.",
        "Concordato il piano di preparazione e le prossime tappe.",
        "Telefonata con il consolato per il passaporto.",
        "Orientamento sulle opportunità di formazione al rientro.",
        "Discussa la situazione familiare e la scuola dei figli.",
        "La persona chiede informazioni sul sostegno per avviare un'attività.",
    ],
    "es": [
        "Entrevista con la persona sobre su situación y el retorno.",
        "Se revisaron los documentos; falta el certificado de trabajo.",
        "Refiere dificultades económicas tras perder el empleo.",
        "Se acordó el plan de reintegración y los próximos pasos.",
        "Llamada de seguimiento: la familia la recibió bien.",
        "Orientación sobre cursos de formación profesional en la ciudad.",
        "Visita domiciliaria; la vivienda es provisional.",
        "Derivación al centro de salud para control médico.",
        "Se habló de la escolarización de los hijos.",
    ],
    "pt": [
        "Entrevista com a pessoa sobre a situação e o regresso.",
        "Documentos verificados; falta o certificado de trabalho.",
        "Relata dificuldades económicas depois de perder o emprego.",
        "Acordado o plano de reintegração e os próximos passos.",
        "Chamada de acompanhamento: a família recebeu-a bem.",
        "Orientação sobre cursos de formação profissional.",
        "Visita domiciliária; a habitação é provisória.",
    ],
}
TASK_TITLES = [
    "Call to confirm the travel date",
    "Ask the consulate about the passport",
    "Collect the work certificate",
    "Book the needs assessment",
    "Follow-up call after arrival",
    "Send the referral to the training centre",
    "Check school enrolment of the children",
    "Visit at home",
    "Prepare the reintegration plan",
    "Review the grant request",
]
OCCUPATIONS = [
    "Cuidadora",
    "Albañil",
    "Cocinero",
    "Limpieza",
    "Camarera",
    "Agricultor",
    "Mecánico",
    "Repartidor",
    "Costureira",
    "Pedreiro",
    "",
    "",
]

EUROPEAN_PATH = [
    Phase.INQUIRY,
    Phase.INTAKE,
    Phase.PREPARATION,
    Phase.READY_TO_DEPART,
    Phase.HANDED_OVER,
    Phase.RECEPTION,
    Phase.REINTEGRATION,
    Phase.FOLLOW_UP,
    Phase.CLOSED,
]
# Where a European-opened case is now, in weights over the path above, plus "closed early"
# (withdrew or did not return before handover), which is its own outcome.
EUROPEAN_STAGE_WEIGHTS = [10, 12, 15, 6, 3, 12, 18, 10, 8]
EUROPEAN_CLOSED_EARLY = 6
NATIONAL_PATH = [Phase.RECEPTION, Phase.REINTEGRATION, Phase.FOLLOW_UP, Phase.CLOSED]
NATIONAL_STAGE_WEIGHTS = [25, 35, 20, 20]
JOURNAL_MEAN = {
    Phase.INQUIRY: 2,
    Phase.INTAKE: 4,
    Phase.PREPARATION: 7,
    Phase.READY_TO_DEPART: 9,
    Phase.HANDED_OVER: 10,
    Phase.RECEPTION: 11,
    Phase.REINTEGRATION: 13,
    Phase.FOLLOW_UP: 15,
    Phase.CLOSED: 13,
}
VULNERABILITIES = [v for v in Vulnerability.values if v not in ("gbv", "trafficking")]

# Each bench caseworker is "bench.<desk>.<n>"; ana.milano and lucia.lima take this share of their
# desk's cases, so "My work" and the "Assigned to me" filter are measured on thousands of cases.
STAFF_PER_DESK = 4
DEMO_SHARE = {"ana.milano": 0.33, "lucia.lima": 0.33, "dario.madrid": 0.25}


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def keep_given_timestamps():
    """bulk_create keeps the created_at / updated_at we set instead of writing now()."""
    changed = []
    models = [
        *apps.get_app_config("cases").get_models(),
        *apps.get_app_config("grants").get_models(),
        *apps.get_app_config("monitoring").get_models(),
    ]
    for model in models:
        for field in model._meta.concrete_fields:
            for attr in ("auto_now", "auto_now_add"):
                if getattr(field, attr, False):
                    setattr(field, attr, False)
                    changed.append((field, attr))
    try:
        yield
    finally:
        for field, attr in changed:
            setattr(field, attr, True)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def case_tables_to_clear():
    """Every cases, grants and monitoring table except the programme and its cycles (and their
    desks), and monitoring's instruments and schedules."""
    keep = {Programme, Cycle, Cycle.desks.through}
    models = [
        *monitoring_tables_to_clear(),
        *apps.get_app_config("grants").get_models(include_auto_created=True),
        *apps.get_app_config("cases").get_models(include_auto_created=True),
    ]
    return [m for m in models if m not in keep]


def monitoring_tables_to_clear():
    """Monitoring's rows about cases, the latest first (a case's monitoring points at a survey,
    a survey at a follow-up, a follow-up at its task)."""
    return [CaseMonitoring, Survey, ContactAttempt, FollowUp]


def grant_tables_to_clear():
    return list(apps.get_app_config("grants").get_models(include_auto_created=True))


def reset(out):
    started = time.monotonic()
    tables = [m._meta.db_table for m in case_tables_to_clear()]
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (our own table names)
            cursor.execute("PRAGMA foreign_keys = ON")
    bench_users = User.objects.filter(username__startswith=BENCH_USER_PREFIX)
    Membership.objects.filter(user__in=bench_users).delete()
    bench_users.delete()
    out(f"reset: cases, persons and bench accounts deleted in {time.monotonic() - started:.1f} s")


def reset_monitoring(out):
    """Deletes the monitoring rows and the follow-ups' tasks (the scheduled ones)."""
    started = time.monotonic()
    tables = [m._meta.db_table for m in monitoring_tables_to_clear()]
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (our own table names)
    # The follow-ups' tasks: the only scheduled ones.
    Task.objects.filter(scheduled=True).delete()
    out(f"reset: follow-ups, attempts and surveys deleted in {time.monotonic() - started:.1f} s")


def reset_grants(out):
    started = time.monotonic()
    tables = [m._meta.db_table for m in grant_tables_to_clear()]
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in reversed(tables):
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (our own table names)
    out(f"reset: grants, envelopes and policies deleted in {time.monotonic() - started:.1f} s")


def ensure_staff(organisations, users) -> dict[str, list[User]]:
    """Caseworkers for every desk: the demo ones plus bench.<desk>.<n> (no password)."""
    staff = {}
    first = ["Giulia", "Marco", "Elena", "Luca", "Carmen", "Pablo", "Inês", "Rui", "Rosa", "Hugo"]
    last = ["Bianchi", "Ruiz", "Costa", "Vargas", "Pereira", "Rossi", "Soto", "Ramos"]
    rng = random.Random(7)
    for code, org in organisations.items():
        if not org.is_desk:
            continue
        desk_staff = []
        for n in range(1, STAFF_PER_DESK + 1):
            username = f"{BENCH_USER_PREFIX}{code.lower()}.{n}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    first_name=rng.choice(first),
                    last_name=rng.choice(last),
                    email=f"{username}@retorno.example",
                )
                user.set_unusable_password()
                user.save()
            Membership.objects.get_or_create(user=user, organisation=org, role=Role.CASEWORKER)
            desk_staff.append(user)
        staff[code] = desk_staff
    for account, desk in (
        ("ana.milano", "MIL"),
        ("dario.madrid", "MAD"),
        ("lucia.lima", "LIM"),
        ("bruno.milano", "MIL"),
        ("mateo.lima", "LIM"),
    ):
        staff.setdefault(desk, []).append(users[account])
    return staff


def ensure_cycles(organisations) -> dict[int, Cycle]:
    cycle_2026 = Cycle.objects.get(programme__code="RETORNO", name="2026")
    cycle_2025, created = Cycle.objects.get_or_create(
        programme=cycle_2026.programme,
        name="2025",
        defaults={
            "starts_on": datetime.date(2025, 1, 1),
            "ends_on": datetime.date(2025, 12, 31),
            "target_people": 1000,
        },
    )
    if created:
        cycle_2025.desks.set([o for o in organisations.values() if o.is_desk])
    return {2025: cycle_2025, 2026: cycle_2026}


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


class Filler:
    def __init__(self, *, total, seed, organisations, staff, cycles, out):
        self.rng = random.Random(seed)
        self.total = total
        self.org = organisations
        self.staff = staff
        self.cycles = cycles
        self.out = out
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.start = datetime.datetime(2025, 1, 6, 8, 0, tzinfo=datetime.UTC)
        self.counters: dict[tuple[str, int], int] = {
            (c.desk.code, c.year): c.last for c in ReferenceCounter.objects.select_related("desk")
        }
        self.done = Case.objects.count()
        self.counts: dict[str, int] = {}
        self.by_name = {u.username: u for users in staff.values() for u in users}
        self.countries = list(COUNTRY_WEIGHTS)
        self.country_weights = list(COUNTRY_WEIGHTS.values())

    # -- small random pieces -------------------------------------------------------------------

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def when_between(self, low: datetime.datetime, high: datetime.datetime) -> datetime.datetime:
        if high <= low:
            return low
        return low + datetime.timedelta(seconds=self.rng.uniform(0, (high - low).total_seconds()))

    def document_number(self, country: str) -> tuple[str, str]:
        """(type, number as a desk would type it) in the country's usual format."""
        d = self.digits
        if country == "BR":
            return "tax_id", f"{d(3)}.{d(3)}.{d(3)}-{d(2)}"
        if country == "CL":
            return "national_id", f"{d(2)}.{d(3)}.{d(3)}-{self.rng.choice('0123456789K')}"
        if country == "PE":
            return "national_id", d(8)
        if country == "BO":
            return "national_id", f"{d(7)} {self.rng.choice(['LP', 'CB', 'SC', 'OR'])}"
        if country == "CO":
            return "national_id", f"1.{d(3)}.{d(3)}.{d(3)}"
        if country == "EC":
            return "national_id", f"{d(9)}-{d(1)}"
        if country == "UY":
            return "national_id", f"{d(1)}.{d(3)}.{d(3)}-{d(1)}"
        return "national_id", f"{d(1)}.{d(3)}.{d(3)}"

    def person(self, country: str, *, surname: str | None = None, child: bool = False) -> Person:
        rng = self.rng
        portuguese = COUNTRIES[country][1] == "pt"
        sex = rng.choice(["female", "male"])
        if portuguese:
            pool = FEMALE_PT if sex == "female" else MALE_PT
            surnames = SURNAMES_PT
        else:
            pool = FEMALE_ES if sex == "female" else MALE_ES
            surnames = SURNAMES_ES
        given = rng.choice(pool)
        if rng.random() < 0.35:
            given += " " + rng.choice(pool)
        first_surname = surname or rng.choice(surnames)
        second_surname = rng.choice(surnames) if rng.random() < 0.9 else ""
        year = rng.randint(2008, 2022) if child else rng.randint(1955, 2004)
        nickname = rng.random() < 0.05
        return Person(
            given_names=given,
            first_surname=first_surname,
            second_surname=second_surname,
            preferred_name=given.split()[0] if nickname else "",
            sex=sex,
            birth_year=year,
            birth_month=rng.randint(1, 12) if rng.random() < 0.95 else None,
            birth_day=rng.randint(1, 28) if rng.random() < 0.93 else None,
            birth_year_estimated=rng.random() < 0.03,
            nationality=country,
            return_country=country,
            return_city=rng.choice(COUNTRIES[country][2]),
            languages=[COUNTRIES[country][1]] + (["qu"] if rng.random() < 0.05 else []),
            phone_home="" if child else f"{PHONE_HOME[country]}{self.digits(8)}",
            email=""
            if child or rng.random() > 0.3
            else f"{matching.normalise_text(given).split()[0]}.{self.digits(4)}@correo.example",
            education_level=""
            if child
            else rng.choice(["primary", "lower_secondary", "upper_secondary", "vocational", ""]),
            occupation="" if child else rng.choice(OCCUPATIONS),
        )

    def reference(self, desk: str, created: datetime.datetime) -> str:
        year = created.year
        last = self.counters.get((desk, year), 0) + 1
        self.counters[(desk, year)] = last
        return f"{desk}-{year}-{last:04d}"

    def caseworker(self, desk: str) -> User:
        for username, share in DEMO_SHARE.items():
            user = self.by_name[username]
            if self.org_code_of(user) == desk and self.rng.random() < share:
                return user
        return self.rng.choice(self.staff[desk][:STAFF_PER_DESK])

    def org_code_of(self, user) -> str:
        return {"ana.milano": "MIL", "dario.madrid": "MAD", "lucia.lima": "LIM"}.get(
            user.username, ""
        )

    # -- one chunk -----------------------------------------------------------------------------

    def chunk(self, n: int) -> None:
        rng = self.rng
        span = (self.now - datetime.timedelta(days=1) - self.start).total_seconds()
        plans = []
        persons, documents, members = [], [], []
        for i in range(n):
            index = self.done + i
            created = self.start + datetime.timedelta(
                seconds=span * (index + rng.random()) / max(self.total, 1)
            )
            country = rng.choices(self.countries, self.country_weights)[0]
            national = COUNTRIES[country][0]
            if rng.random() < 0.8:
                origin = rng.choices(list(EUROPEAN_WEIGHTS), list(EUROPEAN_WEIGHTS.values()))[0]
                weights = [*EUROPEAN_STAGE_WEIGHTS, EUROPEAN_CLOSED_EARLY]
                stage = rng.choices(range(len(weights)), weights)[0]
                if stage == len(EUROPEAN_PATH):
                    path = [*EUROPEAN_PATH[: rng.randint(1, 4)], Phase.CLOSED]
                    closed_early = True
                else:
                    path = EUROPEAN_PATH[: stage + 1]
                    closed_early = False
            else:
                origin = None
                stage = rng.choices(range(len(NATIONAL_PATH)), NATIONAL_STAGE_WEIGHTS)[0]
                path = NATIONAL_PATH[: stage + 1]
                closed_early = False
            accepted = Phase.RECEPTION in path and origin is not None
            owning = national if (origin is None or accepted) else origin
            returnee = self.person(country)
            persons.append(returnee)
            kind, number = self.document_number(country)
            docs = [(returnee, kind, number, country)]
            if rng.random() < 0.4:
                docs.append((returnee, "passport", f"{rng.choice('ABCFP')}{self.digits(7)}", ""))
            household = []
            size = rng.choices([0, 1, 2, 3], [62, 20, 10, 8])[0]
            for _ in range(size):
                relationship = rng.choices(
                    ["child", "partner", "parent", "sibling"], [60, 30, 5, 5]
                )[0]
                child = relationship == "child"
                member = self.person(
                    country, surname=returnee.first_surname if child else None, child=child
                )
                persons.append(member)
                household.append((member, relationship))
                if not child and rng.random() < 0.5:
                    docs.append((member, *self.document_number(country), country))
            documents.extend(docs)
            vulnerabilities = (
                rng.sample(VULNERABILITIES, rng.randint(1, 3)) if rng.random() < 0.45 else []
            )
            sensitive = rng.random() < 0.05
            if sensitive:
                vulnerabilities.append(rng.choice(["gbv", "trafficking"]))
            if any(m[1] == "child" for m in household) and "children" not in vulnerabilities:
                vulnerabilities.append("children")
            plans.append(
                {
                    "created": created,
                    "country": country,
                    "origin": origin,
                    "owning": owning,
                    "national": national,
                    "path": path,
                    "closed_early": closed_early,
                    "accepted": accepted,
                    "returnee": returnee,
                    "household": household,
                    "sensitive": sensitive,
                    "vulnerabilities": vulnerabilities,
                }
            )
            members.extend(household)

        for person in persons:
            person.given_names = " ".join(person.given_names.split())
            person.search_name = matching.search_key(
                person.given_names, person.first_surname, person.second_surname
            )
            person.created_at = person.updated_at = self.start
        for plan in plans:
            for p in [plan["returnee"], *(m for m, _r in plan["household"])]:
                p.created_at = p.updated_at = plan["created"]
        Person.objects.bulk_create(persons, batch_size=500)
        self.count("persons", len(persons))

        doc_rows = [
            IdentityDocument(
                person=p,
                type=kind,
                number=number.strip(),
                number_compact=matching.normalise_document(number),
                issuing_country=issuing,
                verified=rng.random() < 0.3,
                created_at=p.created_at,
            )
            for p, kind, number, issuing in documents
        ]
        IdentityDocument.objects.bulk_create(doc_rows, batch_size=500)
        self.count("identity documents", len(doc_rows))

        numbers: dict[int, list[str]] = {}
        for d in doc_rows:
            numbers.setdefault(d.person_id, []).append(d.number)
        keys = [
            MatchKey(person=p, key=k)
            for p in persons
            for k in matching.blocking_keys(matching.record_of(p, documents=numbers.get(p.pk, [])))
        ]
        MatchKey.objects.bulk_create(keys, batch_size=500)
        self.count("match keys", len(keys))

        work = [
            WorkExperience(
                person=plan["returnee"],
                employer_or_sector=rng.choice(["Agricoltura", "Hostelería", "Cuidados", "Obras"]),
                role=plan["returnee"].occupation,
                country=EUROPEAN[plan["origin"]][0] if plan["origin"] else "ES",
                started_year=rng.randint(2010, 2022),
                ended_year=rng.randint(2022, 2025),
                certifiable=rng.choice(["yes", "no", "unknown"]),
            )
            for plan in plans
            if rng.random() < 0.5
        ]
        WorkExperience.objects.bulk_create(work, batch_size=500)
        self.count("work experiences", len(work))

        cases = [self.case_row(plan) for plan in plans]
        Case.objects.bulk_create(cases, batch_size=500)
        self.count("cases", len(cases))

        rows: dict[str, list] = {
            "assignments": [],
            "household": [],
            "consents": [],
            "journal": [],
            "tasks": [],
            "assessments": [],
            "profiles": [],
        }
        handover_plans = []
        for plan, case in zip(plans, cases, strict=True):
            self.children(plan, case, rows, handover_plans)
        Assignment.objects.bulk_create(rows["assignments"], batch_size=500)
        HouseholdMember.objects.bulk_create(rows["household"], batch_size=500)
        Consent.objects.bulk_create(rows["consents"], batch_size=500)
        handovers = [h for h, _extra in handover_plans]
        for handover, transfer in handover_plans:
            handover.consent = transfer
        Handover.objects.bulk_create(handovers, batch_size=500)
        JournalEntry.objects.bulk_create(rows["journal"], batch_size=500)
        Task.objects.bulk_create(rows["tasks"], batch_size=500)
        NeedsAssessment.objects.bulk_create(rows["assessments"], batch_size=500)
        VulnerabilityProfile.objects.bulk_create(rows["profiles"], batch_size=500)
        events = [e for plan in plans for e in self.events(plan)]
        CaseEvent.objects.bulk_create(events, batch_size=500)
        for name, key in (
            ("assignments", "assignments"),
            ("household members", "household"),
            ("consents", "consents"),
            ("journal entries", "journal"),
            ("tasks", "tasks"),
            ("needs assessments", "assessments"),
            ("vulnerability profiles", "profiles"),
        ):
            self.count(name, len(rows[key]))
        self.count("handovers", len(handovers))
        self.count("case events", len(events))
        self.done += n

    def count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def case_row(self, plan) -> Case:
        rng = self.rng
        path = plan["path"]
        phase = path[-1]
        created = plan["created"]
        # Each step of the path happened some days after the one before, never after now.
        steps = [created]
        for _ in path[1:]:
            step = steps[-1] + datetime.timedelta(days=rng.uniform(3, 45))
            steps.append(step if step < self.now else self.when_between(steps[-1], self.now))
        plan["steps"] = steps
        last_change = steps[-1]
        updated = self.when_between(last_change, self.now) if phase != Phase.CLOSED else last_change
        if phase != Phase.CLOSED and rng.random() < 0.6:
            recently = max(last_change, self.now - datetime.timedelta(days=30))
            updated = self.when_between(recently, self.now)
        plan["updated"] = updated
        opening_desk = plan["origin"] or plan["owning"]
        handed = Phase.HANDED_OVER in path
        plan["handed_at"] = steps[path.index(Phase.HANDED_OVER)] if handed else None
        travel = (
            (plan["handed_at"] + datetime.timedelta(days=rng.randint(5, 30))).date()
            if (handed)
            else None
        )
        if phase == Phase.CLOSED:
            reason = (
                rng.choice([ClosedReason.WITHDREW, ClosedReason.DID_NOT_RETURN])
                if plan["closed_early"]
                else rng.choices(
                    [ClosedReason.COMPLETED, ClosedReason.LOST_CONTACT, ClosedReason.OTHER],
                    [85, 12, 3],
                )[0]
            )
        else:
            reason = ""
        return Case(
            reference=self.reference(opening_desk, created),
            cycle=self.cycles[2025 if created.year <= 2025 else 2026],
            person=plan["returnee"],
            owning_desk=self.org[plan["owning"]],
            origin_desk=self.org[plan["origin"]] if plan["origin"] else None,
            phase=phase,
            phase_changed_at=last_change,
            closed_reason=reason,
            priority="high" if rng.random() < 0.1 else "normal",
            sensitive=plan["sensitive"],
            vulnerabilities=(
                "," + ",".join(plan["vulnerabilities"]) + "," if plan["vulnerabilities"] else ""
            ),
            travel_date=travel,
            handed_over_at=plan["handed_at"],
            version=1 + len(path),
            created_at=created,
            updated_at=updated,
        )

    def children(self, plan, case: Case, rows, handover_plans) -> None:
        rng = self.rng
        path, steps = plan["path"], plan["steps"]
        phase = path[-1]
        origin, owning, national = plan["origin"], plan["owning"], plan["national"]
        # Who worked on the case: at the European desk before the handover, then nationally.
        euro_worker = self.caseworker(origin) if origin else None
        nat_worker = self.caseworker(national) if (origin is None or plan["accepted"]) else None
        current = nat_worker or euro_worker
        plan["workers"] = (euro_worker, nat_worker)
        assigned = [current]
        if rng.random() < 0.1:
            other = self.caseworker(owning)
            if other.pk != current.pk:
                assigned.append(other)
        plan["assigned"] = assigned
        for user in assigned:
            rows["assignments"].append(
                Assignment(case=case, user=user, assigned_at=steps[-1] if nat_worker else steps[0])
            )
        for member, relationship in plan["household"]:
            rows["household"].append(
                HouseholdMember(
                    case=case,
                    person=member,
                    relationship=relationship,
                    returning=rng.random() < 0.9,
                    created_at=plan["created"],
                )
            )
        first_worker = euro_worker or nat_worker

        def consent(purpose, at):
            row = Consent(
                case=case,
                purpose=purpose,
                given=True,
                decided_on=at.date(),
                method=rng.choice(["signed_form", "signed_form", "electronic"]),
                recorded_by=first_worker,
                recorded_at=at,
            )
            rows["consents"].append(row)
            return row

        if len(path) > 1 or phase != Phase.INQUIRY:
            consent(Consent.Purpose.CASE_MANAGEMENT, steps[min(1, len(steps) - 1)])
        transfer = None
        if origin and Phase.READY_TO_DEPART in path:
            transfer = consent(Consent.Purpose.TRANSFER, steps[path.index(Phase.READY_TO_DEPART)])
        if origin and Phase.HANDED_OVER in path and transfer is not None:
            accepted = plan["accepted"]
            handover = Handover(
                case=case,
                from_desk=self.org[origin],
                to_desk=self.org[national],
                situation="Persona con empleo perdido; regresa con su familia.",
                needs="Orientación laboral y apoyo para la vivienda.",
                plan_so_far="Curso de formación acordado.",
                travel_date=case.travel_date,
                status=Handover.Status.ACCEPTED if accepted else Handover.Status.PENDING,
                sent_by=euro_worker,
                sent_at=plan["handed_at"],
                decided_by=nat_worker if accepted else None,
                decided_at=steps[path.index(Phase.RECEPTION)] if accepted else None,
            )
            handover_plans.append((handover, transfer))
        # Journal: about ten entries a case, more the further the case went.
        n = rng.randint(0, 2 * JOURNAL_MEAN[phase])
        handed_at = plan["handed_at"]
        for _ in range(n):
            at = self.when_between(plan["created"], max(plan["updated"], plan["created"]))
            national_side = nat_worker is not None and (handed_at is None or at >= handed_at)
            author = nat_worker if national_side else (euro_worker or nat_worker)
            desk = national if national_side else (origin or national)
            language = EUROPEAN[desk][2] if desk in EUROPEAN else COUNTRIES[plan["country"]][1]
            rows["journal"].append(
                JournalEntry(
                    case=case,
                    kind=rng.choices(
                        ["counselling", "orientation", "call", "visit", "psychosocial", "note"],
                        [30, 15, 30, 10, 5, 10],
                    )[0],
                    occurred_on=at.date(),
                    duration_minutes=rng.choice([None, 15, 30, 45, 60]),
                    participants="",
                    summary=" ".join(rng.sample(PHRASES[language], rng.randint(1, 3))),
                    confidential=rng.random() < 0.05,
                    author=author,
                    author_desk=self.org[desk],
                    created_at=at,
                )
            )
        # Tasks: about two a case; the open one of an open case is due around today.
        task_count = rng.choices([0, 1, 2, 3, 4], [10, 25, 35, 20, 10])[0]
        plan["tasks"] = []
        for t in range(task_count):
            open_task = phase != Phase.CLOSED and t == task_count - 1 and rng.random() < 0.8
            created = self.when_between(plan["created"], plan["updated"])
            assignee = rng.choice(assigned) if open_task else (current or first_worker)
            if open_task:
                due = self.today + datetime.timedelta(days=rng.randint(-20, 40))
                status, completed_at = Task.Status.OPEN, None
            else:
                due = (created + datetime.timedelta(days=rng.randint(1, 20))).date()
                status = Task.Status.DONE if rng.random() < 0.9 else Task.Status.CANCELLED
                completed_at = min(created + datetime.timedelta(days=rng.randint(0, 25)), self.now)
            task = Task(
                case=case,
                title=rng.choice(TASK_TITLES),
                assignee=assignee,
                desk=self.org[owning],
                due_on=due,
                status=status,
                created_by=assignee,
                created_at=created,
                completed_at=completed_at,
                completed_by=assignee if completed_at else None,
            )
            rows["tasks"].append(task)
            plan["tasks"].append(task)
        if len(path) > 2 or phase not in (Phase.INQUIRY, Phase.INTAKE):
            for a in range(rng.choice([1, 1, 2])):
                rows["assessments"].append(
                    NeedsAssessment(
                        case=case,
                        assessed_on=(steps[min(1 + a, len(steps) - 1)]).date(),
                        assessed_by=first_worker,
                        created_at=steps[min(1 + a, len(steps) - 1)],
                        **{code: rng.randint(0, 3) for code, _l in NeedsAssessment.DIMENSIONS},
                    )
                )
        if plan["vulnerabilities"]:
            rows["profiles"].append(
                VulnerabilityProfile(
                    case=case,
                    categories=plan["vulnerabilities"],
                    recorded_by=first_worker,
                    recorded_at=steps[min(1, len(steps) - 1)],
                )
            )
        plan["case"] = case

    def events(self, plan):
        """The timeline the actions write: opening, each phase change, handover, tasks,
        household members. (Journal entries' own events are left out: see README.)"""
        case, path, steps = plan["case"], plan["path"], plan["steps"]
        euro_worker, nat_worker = plan["workers"]
        out = []

        def add(kind, at, actor, **params):
            desk = (
                self.org[plan["national"]]
                if actor is nat_worker and nat_worker is not None
                else self.org[plan["origin"] or plan["national"]]
            )
            out.append(
                CaseEvent(
                    case=case,
                    kind=kind,
                    occurred_at=at,
                    actor=actor,
                    actor_name=actor.get_full_name() or actor.username,
                    actor_desk=desk,
                    params={k: str(v) for k, v in params.items()},
                )
            )

        opener = euro_worker or nat_worker
        add("case_opened", steps[0], opener, phase=path[0], desk=case.owning_desk.name)
        for previous, phase, at in zip(path, path[1:], steps[1:], strict=False):
            if phase == Phase.HANDED_OVER:
                add("handed_over", at, euro_worker, to_desk=self.org[plan["national"]].name)
            elif phase == Phase.RECEPTION and plan["origin"]:
                add(
                    "handover_accepted",
                    at,
                    nat_worker,
                    to_desk=self.org[plan["national"]].name,
                    from_desk=self.org[plan["origin"]].name,
                    caseworker=nat_worker.get_full_name(),
                )
            elif phase == Phase.CLOSED:
                add("closed", at, nat_worker or euro_worker, reason=case.closed_reason, note="")
            else:
                actor = nat_worker if phase in (Phase.REINTEGRATION, Phase.FOLLOW_UP) else opener
                add("phase_changed", at, actor, phase=phase, previous=previous, note="")
        for member, relationship in plan["household"]:
            name = member.full_name
            add("household_added", steps[0], opener, relationship=relationship, name=name)
        for task in plan["tasks"]:
            add(
                "task_created",
                task.created_at,
                task.assignee,
                title=task.title,
                assignee=task.assignee.get_full_name(),
                due=task.due_on,
            )
        return out


# --------------------------------------------------------------------------------------------
# Grants (issue 10): policies, envelopes, grants and their instalments
# --------------------------------------------------------------------------------------------

# What a grant of each type is for, in the desk's language.
GRANT_TYPE_WEIGHTS = {
    "basic_needs": 30,
    "self_employment": 30,
    "education": 12,
    "housing": 12,
    "health": 10,
    "other": 6,
}
GRANT_CAPS = {
    "basic_needs": Decimal("800"),
    "self_employment": Decimal("2500"),
    "education": Decimal("1200"),
    "housing": Decimal("1000"),
    "health": Decimal("600"),
    "other": Decimal("400"),
}
HOUSEHOLD_CAP = Decimal("3000")
COORDINATION_ABOVE = Decimal("1500")
# Lima sets part of its envelope aside per grant type, as in the demo.
ENVELOPE_PARTS_AT = "LIM"
ENVELOPE_PART_TYPES = ("basic_needs", "self_employment", "education")
# The state a grant is in now, in weights: most were paid or are being paid.
GRANT_STATUS_WEIGHTS = {
    "draft": 3,
    "submitted": 3,
    # Only grants above the policy's amount wait for programme coordination: the others of
    # this share wait for the desk.
    "coordination": 8,
    "rejected": 5,
    "cancelled": 2.5,
    "approved": 5,
    "paying": 25,
    "paid": 55,
    "closed": 3,
}
# How many instalments a grant is paid in.
INSTALMENT_WEIGHTS = {1: 4, 2: 9, 3: 24, 4: 30, 5: 19, 6: 14}
PURPOSES = {
    "es": {
        "basic_needs": ["Alimentación y alquiler del primer mes", "Canasta básica y transporte"],
        "self_employment": [
            "Taller de costura en casa",
            "Bodega de abarrotes",
            "Carrito de comidas frente al mercado",
            "Taller de mantenimiento de motos",
            "Panadería artesanal",
            "Peluquería en el barrio",
        ],
        "education": ["Curso técnico de electricidad", "Curso de soldadura", "Curso de cocina"],
        "housing": ["Garantía y primer mes de alquiler", "Techo y ventanas de la vivienda"],
        "health": ["Tratamiento dental", "Lentes y control oftalmológico"],
        "other": ["Homologación del título", "Trámite de documentos de identidad"],
    },
    "pt": {
        "basic_needs": ["Alimentação e aluguel do primeiro mês", "Cesta básica e transporte"],
        "self_employment": [
            "Salão de beleza no bairro",
            "Oficina de costura em casa",
            "Lanchonete perto da rodoviária",
            "Oficina de bicicletas",
        ],
        "education": ["Curso técnico de enfermagem", "Curso de eletricista"],
        "housing": ["Caução e primeiro aluguel", "Reforma do telhado"],
        "health": ["Tratamento dentário", "Óculos e consulta"],
        "other": ["Revalidação do diploma", "Segunda via de documentos"],
    },
}
BUSINESS_TEXT = {
    "es": (
        "Negocio propio en el barrio, con clientela conocida por la familia.",
        "Equipo principal, primer stock y permiso municipal.",
        "Herramientas propias y un local prestado por la familia.",
    ),
    "pt": (
        "Negócio próprio no bairro, com clientela conhecida da família.",
        "Equipamento principal, primeiro estoque e alvará.",
        "Ferramentas próprias e um espaço cedido pela família.",
    ),
}
PAYMENT_METHODS = {"transfer": 50, "in_kind": 25, "voucher": 15, "cash": 10}


def money(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def round_local(amount: Decimal, currency: str) -> Decimal:
    """A grant as a desk writes it: round thousands of pesos or guaraníes, tens elsewhere."""
    step = Decimal(1000) if REFERENCE_RATES[currency] > 500 else Decimal(10)
    return max(step, (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def day_rate(currency: str, rng: random.Random) -> Decimal:
    """A plausible rate of the day: within 6 % of the reference."""
    if currency == EUR:
        return Decimal(1)
    rate = REFERENCE_RATES[currency] * Decimal(str(round(rng.uniform(0.94, 1.06), 4)))
    return rate.quantize(Decimal(1) if rate > 500 else Decimal("0.0001"))


class GrantFiller:
    """The rows grants.actions would leave behind, written directly: a policy for each cycle, an
    envelope for each national desk and cycle (Lima's split by grant type), and grants in a
    realistic mix of states with their instalments, most of them paid. Envelopes hold exactly
    what their grants committed and paid."""

    def __init__(self, *, seed: int, organisations, users, staff, out):
        self.rng = random.Random(seed)
        self.org = organisations
        self.by_pk = {o.pk: o for o in organisations.values()}
        self.users = users
        self.staff = staff
        self.out = out
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.coordination = users["irene.coord"]
        self.coordinators = {
            code: users[name] for code, name in DESK_COORDINATOR.items() if name in users
        }
        self.counts: dict[str, int] = {}

    def policies(self) -> dict[int, GrantPolicy]:
        policies = {}
        for cycle in Cycle.objects.filter(programme__code="RETORNO"):
            policy, created = GrantPolicy.objects.get_or_create(
                cycle=cycle,
                defaults={
                    "household_cap_eur": HOUSEHOLD_CAP,
                    "coordination_threshold_eur": COORDINATION_ABOVE,
                    "receipts_before_next": True,
                    "updated_by": self.coordination,
                    "updated_at": self.now,
                },
            )
            if created:
                TypeCap.objects.bulk_create(
                    TypeCap(policy=policy, grant_type=t, cap_eur=cap)
                    for t, cap in GRANT_CAPS.items()
                )
            policies[cycle.pk] = policy
        return policies

    def eligible_cases(self):
        """Cases at a national desk that reached reintegration: (id, cycle, desk, phase)."""
        national = [o.pk for o in self.org.values() if o.kind == Organisation.Kind.NATIONAL_DESK]
        return list(
            Case.objects.filter(
                owning_desk__in=national,
                phase__in=[Phase.REINTEGRATION, Phase.FOLLOW_UP, Phase.CLOSED],
            )
            .order_by("pk")
            .values_list("pk", "cycle_id", "owning_desk_id", "phase")
        )

    def fill(self, target: int) -> None:
        rng = self.rng
        policies = self.policies()
        cases = self.eligible_cases()
        if not cases:
            self.out("grants: no case at a national desk has reached reintegration")
            return
        # About one case in nine has a second grant.
        chosen = rng.sample(cases, min(len(cases), round(target / 1.11)))
        grants, plans = [], []
        for case_id, cycle_id, desk_id, phase in chosen:
            closed = phase == Phase.CLOSED
            first = self.grant(
                case_id, cycle_id, desk_id, policies[cycle_id], room=None, closed=closed
            )
            grants.append(first)
            if rng.random() < 0.11 and len(grants) < target:
                room = HOUSEHOLD_CAP - max(first[0].amount_eur or 0, first[0].committed_eur)
                if room >= 100:
                    grants.append(
                        self.grant(
                            case_id,
                            cycle_id,
                            desk_id,
                            policies[cycle_id],
                            room,
                            closed=closed,
                        )
                    )
        with transaction.atomic():
            Grant.objects.bulk_create([g for g, _i in grants], batch_size=500)
            for grant, instalments in grants:
                for instalment in instalments:
                    instalment.grant = grant
                    plans.append(instalment)
            Instalment.objects.bulk_create(plans, batch_size=1000)
            self.envelopes([g for g, _i in grants])
        self.count("grants", len(grants))
        self.count("instalments", len(plans))
        self.count("instalments paid", sum(1 for i in plans if i.paid_on))
        for status in Grant.Status.values:
            self.count(f"  {status}", sum(1 for g, _i in grants if g.status == status))

    def count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def grant(self, case_id, cycle_id, desk_id, policy, room, *, closed=False):
        rng = self.rng
        desk = self.by_pk[desk_id]
        language = "pt" if desk.code == "BSB" else "es"
        if room is None:
            grant_type = rng.choices(list(GRANT_TYPE_WEIGHTS), list(GRANT_TYPE_WEIGHTS.values()))[0]
        else:
            grant_type = rng.choice(["basic_needs", "health", "other", "education"])
        cap = min(GRANT_CAPS[grant_type], room) if room is not None else GRANT_CAPS[grant_type]
        local = COUNTRY_CURRENCY[desk.country.code]
        currency = EUR if rng.random() < 0.08 else local
        rate = day_rate(currency, rng)
        target_eur = Decimal(str(round(rng.uniform(0.35, 1.0) * float(cap), -1) or 50))
        amount = money(round_local(target_eur * rate, currency), currency)
        amount_eur = to_euros(amount, currency, rate)
        while amount_eur > cap:
            amount = money(amount * Decimal("0.95"), currency)
            amount_eur = to_euros(amount, currency, rate)
        status = rng.choices(list(GRANT_STATUS_WEIGHTS), list(GRANT_STATUS_WEIGHTS.values()))[0]
        needs_coordination = amount_eur > COORDINATION_ABOVE
        if closed and status not in (Grant.Status.PAID, Grant.Status.REJECTED):
            # A closed case has no request or payment left open.
            status = rng.choice([Grant.Status.PAID, Grant.Status.PAID, Grant.Status.CLOSED])
        if status == Grant.Status.COORDINATION and not needs_coordination:
            status = Grant.Status.SUBMITTED
        count = rng.choices(list(INSTALMENT_WEIGHTS), list(INSTALMENT_WEIGHTS.values()))[0]
        if status in (Grant.Status.PAYING, Grant.Status.CLOSED):
            count = max(count, 2)
        if status == Grant.Status.APPROVED:
            paid_count = 0
        elif status == Grant.Status.PAID:
            paid_count = count
        elif status in (Grant.Status.PAYING, Grant.Status.CLOSED):
            paid_count = rng.randint(1, count - 1)
        else:
            paid_count = 0
        # When the last decision was taken: a grant being paid is at its next instalment, due
        # around today (instalments are monthly); requests waiting were made in the last weeks.
        days = {
            Grant.Status.PAID: 30 * count + rng.uniform(10, 330),
            Grant.Status.PAYING: 7 + 30 * paid_count - rng.uniform(-10, 25),
            Grant.Status.APPROVED: rng.uniform(0, 12),
            Grant.Status.CLOSED: 30 * paid_count + rng.uniform(40, 300),
            Grant.Status.CANCELLED: rng.uniform(10, 400),
            Grant.Status.REJECTED: rng.uniform(10, 400),
        }.get(status) or rng.uniform(0.1, 20)
        last = self.now - datetime.timedelta(days=days)
        waiting = status in (Grant.Status.DRAFT, Grant.Status.SUBMITTED, Grant.Status.COORDINATION)
        coordinated = last
        decided = last
        if needs_coordination and not waiting and status != Grant.Status.REJECTED:
            decided = last - datetime.timedelta(days=rng.uniform(0.5, 4))
        submitted = last
        if status not in (Grant.Status.DRAFT, Grant.Status.SUBMITTED):
            submitted = decided - datetime.timedelta(days=rng.uniform(0.5, 5))
        created = last
        if status != Grant.Status.DRAFT:
            created = submitted - datetime.timedelta(days=rng.uniform(0.5, 6))
        worker = self.drafter(desk.code)
        coordinator = self.coordinators.get(desk.code, worker)
        grant = Grant(
            case_id=case_id,
            cycle_id=cycle_id,
            desk=desk,
            plan_action=None,
            action_lineage=uuid.UUID(int=rng.getrandbits(128), version=4),
            grant_type=grant_type,
            purpose=rng.choice(PURPOSES[language][grant_type]),
            currency=currency,
            amount=amount,
            rate=rate,
            amount_eur=amount_eur,
            status=status,
            drafted_by=worker,
            created_at=created,
            updated_at=created,
            version=1,
        )
        if grant_type == "self_employment":
            activity, costs, assets = BUSINESS_TEXT[language]
            income = round_local(amount / 4, currency)
            grant.business_activity = f"{grant.purpose}. {activity}"
            grant.business_startup_costs = costs
            grant.business_monthly_income = money(income, currency)
            grant.business_monthly_costs = money(income * Decimal("0.55"), currency)
            grant.business_assets = assets
        if status == Grant.Status.DRAFT:
            return grant, []
        grant.submitted_by, grant.submitted_at, grant.version = worker, submitted, 2
        grant.updated_at = submitted
        planned_from = submitted.date()
        instalments = [Instalment(number=1, planned_on=planned_from, planned_amount=amount)]
        if status in (Grant.Status.SUBMITTED, Grant.Status.REJECTED, Grant.Status.COORDINATION):
            if status == Grant.Status.COORDINATION:
                grant.desk_approved_by, grant.desk_approved_at = coordinator, decided
                grant.needs_coordination, grant.policy_version = True, policy.version
                grant.version, grant.updated_at = 3, decided
            elif status == Grant.Status.REJECTED:
                grant.decided_by, grant.decided_at = coordinator, decided
                grant.decision_reason = "No cumple los criterios del programa."
                grant.version, grant.updated_at = 3, decided
            return grant, instalments
        # Approved, by the desk and, above the policy's amount, by programme coordination.
        grant.desk_approved_by, grant.desk_approved_at = coordinator, decided
        grant.needs_coordination = needs_coordination
        approved_at = decided
        if needs_coordination:
            grant.coordination_approved_by = self.coordination
            grant.coordination_approved_at = approved_at = coordinated
        grant.decided_by = grant.coordination_approved_by or coordinator
        grant.decided_at = approved_at
        grant.policy_version = policy.version
        grant.receipts_required = policy.receipts_before_next
        grant.committed_eur = amount_eur
        grant.version = 4 if needs_coordination else 3
        grant.updated_at = approved_at
        if status == Grant.Status.CANCELLED:
            grant.committed_eur = Decimal(0)
            grant.decision_reason = "La persona desistió antes del primer pago."
            grant.version += 1
            return grant, instalments
        instalments = self.instalments(amount, currency, count, approved_at.date())
        grant.version += 1
        paid_total, paid_eur = Decimal(0), Decimal(0)
        for instalment in instalments[:paid_count]:
            paid_on = min(
                instalment.planned_on + datetime.timedelta(days=rng.randint(0, 6)), self.today
            )
            pay_rate = day_rate(currency, rng)
            instalment.paid_on = paid_on
            instalment.amount_paid = instalment.planned_amount
            instalment.rate = pay_rate
            instalment.amount_paid_eur = to_euros(instalment.planned_amount, currency, pay_rate)
            instalment.method = rng.choices(list(PAYMENT_METHODS), list(PAYMENT_METHODS.values()))[
                0
            ]
            instalment.paid_by = worker
            instalment.recorded_at = datetime.datetime.combine(
                paid_on, datetime.time(15, 0), tzinfo=datetime.UTC
            )
            paid_total += instalment.amount_paid
            paid_eur += instalment.amount_paid_eur
            grant.version += 1
            grant.updated_at = max(grant.updated_at, instalment.recorded_at)
        grant.paid, grant.paid_eur = paid_total, paid_eur
        # record_payment: a payment worth more euros than committed commits the difference;
        # paid in full, what was not needed goes back; closed early, what was not paid.
        grant.committed_eur = max(grant.committed_eur, paid_eur)
        if status in (Grant.Status.PAID, Grant.Status.CLOSED):
            grant.committed_eur = paid_eur
        if status == Grant.Status.CLOSED:
            instalments = instalments[:paid_count]
            grant.decision_reason = "Encontró un empleo estable y cerró el negocio."
            grant.version += 1
        return grant, instalments

    def instalments(self, amount, currency, count, start):
        step = quantum(currency)
        part = (amount / count).quantize(step, rounding=ROUND_HALF_UP)
        if REFERENCE_RATES[currency] > 500:
            part = max(step, round_local(amount / count, currency))
        rows, left = [], amount
        for n in range(1, count + 1):
            planned = left if n == count else min(part, left - step * (count - n))
            left -= planned
            rows.append(
                Instalment(
                    number=n,
                    planned_on=start + datetime.timedelta(days=30 * (n - 1) + 7),
                    planned_amount=planned,
                )
            )
        return rows

    @functools.cached_property
    def cycles_by_pk(self):
        return {c.pk: c for c in Cycle.objects.all()}

    def drafter(self, code: str) -> User:
        if code == "LIM" and self.rng.random() < 0.33:
            return self.users["lucia.lima"]
        return self.rng.choice(self.staff[code][:STAFF_PER_DESK])

    def envelopes(self, grants) -> None:
        """Each national desk's envelope for each cycle, set a third above what its grants
        committed, holding exactly what they committed and paid; Lima's parts by type too."""
        holding = set(HOLDING)
        sums: dict[tuple, list[Decimal]] = {}
        for grant in grants:
            keys = [(grant.cycle_id, grant.desk_id, "")]
            if self.by_pk[grant.desk_id].code == ENVELOPE_PARTS_AT and (
                grant.grant_type in ENVELOPE_PART_TYPES
            ):
                keys.append((grant.cycle_id, grant.desk_id, grant.grant_type))
            for key in keys:
                row = sums.setdefault(key, [Decimal(0), Decimal(0)])
                if grant.status in holding:
                    row[0] += grant.committed_eur
                row[1] += grant.paid_eur
        national = [o for o in self.org.values() if o.kind == Organisation.Kind.NATIONAL_DESK]
        rows = []
        for cycle in self.cycles_by_pk.values():
            parts_total: dict[int, Decimal] = {}
            for desk in national:
                for grant_type in ("", *ENVELOPE_PART_TYPES):
                    if grant_type and desk.code != ENVELOPE_PARTS_AT:
                        continue
                    committed, paid = sums.get((cycle.pk, desk.pk, grant_type), (0, 0))
                    amount = (Decimal(committed) * Decimal("1.35") / 10000).quantize(
                        Decimal(1), rounding=ROUND_CEILING
                    ) * 10000 or Decimal(50000)
                    if grant_type:
                        parts_total[desk.pk] = parts_total.get(desk.pk, Decimal(0)) + amount
                    rows.append(
                        Envelope(
                            cycle=cycle,
                            desk=desk,
                            grant_type=grant_type,
                            amount_eur=amount,
                            committed_eur=committed,
                            paid_eur=paid,
                            updated_at=self.now,
                        )
                    )
            for row in rows:
                if row.cycle_id == cycle.pk and not row.grant_type and row.desk_id in parts_total:
                    row.amount_eur = max(row.amount_eur, parts_total[row.desk_id])
        Envelope.objects.bulk_create(rows)
        self.count("envelopes", len(rows))


def fill_grants(*, seed, target, organisations, users, staff, out) -> None:
    started = time.monotonic()
    if Grant.objects.exists():
        out(f"grants: {Grant.objects.count():,} already there, nothing to do")
        return
    # Envelopes without grants (a fill with --grants 0) hold nothing: they are set afresh.
    Envelope.objects.all().delete()
    filler = GrantFiller(seed=seed, organisations=organisations, users=users, staff=staff, out=out)
    with keep_given_timestamps():
        filler.fill(target)
    out(f"grants: {time.monotonic() - started:.0f} s")
    for name, n in filler.counts.items():
        out(f"  {name:<24} {n:>10,}")


# --------------------------------------------------------------------------------------------
# Monitoring (issue 11): follow-ups, failed attempts, surveys and each case's monitoring
# --------------------------------------------------------------------------------------------

MONITORING_CHUNK = 2000
FOLLOW_UP_METHODS = {"home_visit": 30, "phone": 35, "desk_visit": 15, "video": 10, "message": 10}
ATTEMPT_REASONS = {"no_answer": 55, "not_in_use": 20, "not_found": 15, "declined": 5, "other": 5}
# The level of a person's answers at reception, by dimension, and how it moves per survey.
LEVEL_MEAN, LEVEL_SD, TREND_MEAN, TREND_SD, SURVEY_SD = 0.72, 0.11, 0.02, 0.05, 0.04
BENCH_MONTHS = (1, 2, 3, 4, 6, 9, 12)


class MonitoringFiller:
    """The rows monitoring.actions would leave behind, written directly: for every case at a
    national desk that reached reception, its monitoring (arrival, failed attempts in a row,
    lost-contact proposal, risk and latest survey), its seven follow-ups by the benchmark's schedule
    (done when their date has passed, mostly; some overdue; the later ones planned), failed
    attempts on about 15 % of them, and the surveys taken at reception and at each follow-up
    with the default instrument version. A survey's answers are chosen near the person's level
    and its scores are the instrument's scoring of those answers; the risk is the rules' own."""

    def __init__(self, *, seed: int, organisations, users, out):
        self.rng = random.Random(seed + 11)
        self.org = organisations
        self.by_pk = {o.pk: o for o in organisations.values()}
        self.out = out
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.version = monitoring_rules.default_instrument_version()
        self.definition = self.version.definition
        self.thresholds = monitoring_instrument.thresholds(self.definition)
        self.margin = Decimal("0.150")
        # The benchmark's programme follows a closer schedule than the default one (a
        # programme's own choice), so that 100,000 cases make about 400,000 follow-ups and
        # 250,000 surveys: the volumes the monitoring pages are measured at.
        self.months = sorted(BENCH_MONTHS)
        self.survey_months = set(BENCH_MONTHS)
        self.coordinators = {
            organisations[code].pk: users[name].pk
            for code, name in DESK_COORDINATOR.items()
            if name in users and code in organisations
        }
        self.fallback = users["irene.coord"].pk
        self.parts: dict[tuple[str, int], tuple[dict, Decimal]] = {}
        self.scored: dict[tuple[int, int, int], dict] = {}
        self.counts: dict[str, int] = {}

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def eligible_cases(self):
        """Cases at a national desk that reached reception (not those closed before the person
        left): (id, desk, phase, closed reason, phase changed at)."""
        national = [o.pk for o in self.org.values() if o.kind == Organisation.Kind.NATIONAL_DESK]
        return list(
            Case.objects.filter(
                owning_desk__in=national,
                phase__in=[Phase.RECEPTION, Phase.REINTEGRATION, Phase.FOLLOW_UP, Phase.CLOSED],
            )
            .exclude(closed_reason__in=[ClosedReason.WITHDREW, ClosedReason.DID_NOT_RETURN])
            .order_by("pk")
            .values_list("pk", "owning_desk_id", "phase", "closed_reason", "phase_changed_at")
        )

    # Answers and scores ------------------------------------------------------------------

    def part(self, dimension: str, level: int) -> tuple[dict, Decimal]:
        """The answers of a dimension's questions nearest a level (in hundredths): question by
        question, heaviest first, the option keeping the running mean nearest the level."""
        key = (dimension, level)
        if key not in self.parts:
            target = Decimal(level) / 100
            total = weight_sum = Decimal(0)
            chosen = {}
            questions = [q for q in self.definition["questions"] if q["dimension"] == dimension]
            for q in sorted(questions, key=lambda q: -Decimal(q["weight"])):
                weight = Decimal(q["weight"])
                option = min(
                    q["options"],
                    key=lambda o, t=total, w=weight, s=weight_sum: abs(
                        (t + w * Decimal(o["score"])) / (s + w) - target
                    ),
                )
                total += weight * Decimal(option["score"])
                weight_sum += weight
                chosen[q["code"]] = option["code"]
            self.parts[key] = (chosen, total / weight_sum)
        return self.parts[key]

    def answers_and_scores(self, levels: tuple[float, float, float]) -> dict:
        key = tuple(max(0, min(100, round(v * 50) * 2)) for v in levels)
        if key not in self.scored:
            answers = {}
            for dimension, level in zip(monitoring_instrument.DIMENSIONS, key, strict=True):
                answers.update(self.part(dimension, level)[0])
            scores = monitoring_instrument.score(self.definition, answers).as_dict()
            self.scored[key] = {"answers": answers, "scores": scores}
        return self.scored[key]

    # Rows ----------------------------------------------------------------------------------

    def fill(self) -> None:
        if self.version is None:
            self.out("monitoring: no survey version loaded (migrations)")
            return
        cases = self.eligible_cases()
        if not cases:
            self.out("monitoring: no case at a national desk has reached reception")
            return
        for start in range(0, len(cases), MONITORING_CHUNK):
            with transaction.atomic():
                self.chunk(cases[start : start + MONITORING_CHUNK])

    def arrivals(self, ids) -> dict[int, datetime.datetime]:
        """When each person arrived: the handover accepted at the national desk, or the case
        opened there for a walk-in."""
        arrived: dict[int, datetime.datetime] = {}
        rows = CaseEvent.objects.filter(
            case_id__in=ids, kind__in=["handover_accepted", "case_opened"]
        ).values_list("case_id", "kind", "occurred_at")
        for case_id, kind, at in rows:
            if kind == "handover_accepted" or case_id not in arrived:
                arrived[case_id] = at
        return arrived

    def caseworkers(self, ids) -> dict[int, int]:
        workers: dict[int, int] = {}
        rows = Assignment.objects.filter(case_id__in=ids).order_by("pk")
        for case_id, user_id in rows.values_list("case_id", "user_id"):
            workers.setdefault(case_id, user_id)
        return workers

    def chunk(self, cases) -> None:
        rng = self.rng
        ids = [c[0] for c in cases]
        arrived = self.arrivals(ids)
        workers = self.caseworkers(ids)
        monitorings, follow_ups, tasks, attempts, surveys = [], [], [], [], []
        # Per case: its follow-ups and surveys, to link the latest survey afterwards.
        plans = []
        for case_id, desk_id, phase, closed_reason, changed_at in cases:
            arrival = arrived.get(case_id, changed_at)
            arrived_on = timezone.localdate(arrival)
            worker = workers.get(case_id) or self.coordinators.get(desk_id, self.fallback)
            closed_on = timezone.localdate(changed_at) if phase == Phase.CLOSED else None
            lost = closed_reason == ClosedReason.LOST_CONTACT
            monitoring = CaseMonitoring(
                case_id=case_id,
                desk_id=desk_id,
                closed=phase == Phase.CLOSED,
                arrived_on=arrived_on,
                updated_at=self.now,
            )
            levels = [rng.gauss(LEVEL_MEAN, LEVEL_SD) for _ in range(3)]
            trends = [rng.gauss(TREND_MEAN, TREND_SD) for _ in range(3)]
            case_surveys = []
            if rng.random() < 0.92:
                case_surveys.append(
                    self.survey(
                        case_id, None, arrived_on + datetime.timedelta(days=rng.randint(0, 10)),
                        levels, worker,
                    )
                )  # fmt: skip
            failed_in_row = 0
            for month in self.months:
                due_on = monitoring_rules.add_months(arrived_on, month)
                follow_up = FollowUp(
                    case_id=case_id,
                    desk_id=desk_id,
                    month=month,
                    due_on=due_on,
                    takes_survey=month in self.survey_months,
                )
                follow_ups.append(follow_up)
                done_on = due_on + datetime.timedelta(days=rng.randint(-5, 25))
                ended = closed_on is not None and due_on > closed_on
                if ended or (
                    lost
                    and closed_on is not None
                    and due_on > closed_on - (datetime.timedelta(days=60))
                ):
                    # After the closing: cancelled; before it, for a case closed as lost
                    # contact: missed (a person not reached).
                    if ended:
                        follow_up.status = FollowUp.Status.CANCELLED
                        self.count("follow-ups cancelled")
                    else:
                        follow_up.status = FollowUp.Status.MISSED
                        self.count("follow-ups missed")
                    continue  # fmt: skip
                tried = due_on < self.today and rng.random() < 0.15
                failed = rng.randint(1, 3) if tried else 0
                done_on = max(done_on, due_on + datetime.timedelta(days=3 * failed))
                reached = done_on < self.today and rng.random() < 0.9
                for k in range(failed):
                    at = self.at(due_on + datetime.timedelta(days=k * 3 - 2 + rng.randint(0, 2)))
                    attempts.append(
                        ContactAttempt(
                            follow_up=follow_up,
                            case_id=case_id,
                            attempted_at=min(at, self.now),
                            method=self.pick(FOLLOW_UP_METHODS),
                            reason=self.pick(ATTEMPT_REASONS),
                            by_id=worker,
                        )
                    )
                if reached:
                    follow_up.status = FollowUp.Status.DONE
                    follow_up.done_on = max(done_on, arrived_on)
                    follow_up.method = self.pick(FOLLOW_UP_METHODS)
                    follow_up.reached_by_id = worker
                    follow_up.recorded_at = self.at(follow_up.done_on)
                    follow_up.version = 2
                    failed_in_row = 0
                    self.count("follow-ups done")
                    if follow_up.takes_survey and rng.random() < 0.9:
                        n = len(case_surveys)
                        moved = [
                            lv + tr * n + rng.gauss(0, SURVEY_SD)
                            for lv, tr in zip(levels, trends, strict=True)
                        ]
                        case_surveys.append(
                            self.survey(case_id, follow_up, follow_up.done_on, moved, worker)
                        )
                elif phase == Phase.CLOSED:
                    # Not done when the case closed: missed when it closed as lost contact,
                    # cancelled with it otherwise.
                    follow_up.status = FollowUp.Status.MISSED if lost else FollowUp.Status.CANCELLED
                    self.count("follow-ups missed" if lost else "follow-ups cancelled")
                else:
                    follow_up.status = FollowUp.Status.PLANNED
                    failed_in_row += failed
                    self.count(
                        "follow-ups overdue" if due_on < self.today else "follow-ups planned"
                    )
                    task = Task(
                        case_id=case_id,
                        title=monitoring_actions.follow_up_title(month),
                        assignee_id=worker,
                        desk_id=desk_id,
                        due_on=due_on,
                        created_by_id=worker,
                        scheduled=True,
                        created_at=arrival,
                    )
                    tasks.append(task)
                    follow_up.task = task
            monitoring.failed_in_row = failed_in_row if phase != Phase.CLOSED else 0
            if monitoring.failed_in_row >= 3:
                monitoring.lost_contact = CaseMonitoring.LostContact.PROPOSED
                monitoring.lost_contact_proposed_at = self.now
                self.count("lost contact proposed")
            monitorings.append(monitoring)
            plans.append((monitoring, case_surveys))
        attempts_n = len(attempts)
        Task.objects.bulk_create(tasks, batch_size=1000)
        for follow_up in follow_ups:
            if follow_up.task is not None:
                follow_up.task_id = follow_up.task.pk
        FollowUp.objects.bulk_create(follow_ups, batch_size=1000)
        for attempt in attempts:
            attempt.follow_up_id = attempt.follow_up.pk
        ContactAttempt.objects.bulk_create(attempts, batch_size=1000)
        for survey in surveys_of(plans):
            if survey.follow_up is not None:
                survey.follow_up_id = survey.follow_up.pk
            surveys.append(survey)
        Survey.objects.bulk_create(surveys, batch_size=1000)
        for monitoring, case_surveys in plans:
            self.risk(monitoring, case_surveys)
        CaseMonitoring.objects.bulk_create(monitorings, batch_size=1000)
        self.count("cases monitored", len(monitorings))
        self.count("follow-ups", len(follow_ups))
        self.count("follow-up tasks (planned)", len(tasks))
        self.count("failed attempts", attempts_n)
        self.count("surveys", len(surveys))

    def risk(self, monitoring: CaseMonitoring, case_surveys) -> None:
        if not case_surveys:
            return
        latest = case_surveys[-1]
        monitoring.set_latest(latest)
        previous = case_surveys[-2] if len(case_surveys) > 1 else None
        reasons = monitoring_rules.risk_reasons(
            {f: getattr(latest, f) for f in (*monitoring_instrument.DIMENSIONS, "composite")},
            {f: getattr(previous, f) for f in (*monitoring_instrument.DIMENSIONS, "composite")}
            if previous is not None
            else None,
            self.definition,
            self.margin,
        )
        if reasons:
            monitoring.at_risk = True
            monitoring.risk_reasons = reasons
            monitoring.at_risk_since = timezone.localdate(latest.submitted_at)
            self.count("cases at risk")

    def survey(self, case_id, follow_up, day: datetime.date, levels, worker) -> Survey:
        day = min(day, self.today - datetime.timedelta(days=1))
        filled = self.answers_and_scores(tuple(levels))
        scores = filled["scores"]
        return Survey(
            case_id=case_id,
            kind=Survey.Kind.FOLLOW_UP if follow_up is not None else Survey.Kind.BASELINE,
            follow_up=follow_up,
            instrument=self.version,
            answers=filled["answers"],
            status=Survey.Status.SUBMITTED,
            started_by_id=worker,
            started_at=self.at(day, 9),
            submitted_by_id=worker,
            submitted_at=self.at(day, 11),
            version=2,
            **scores,
        )

    def at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def pick(self, weights: dict) -> str:
        return self.rng.choices(list(weights), list(weights.values()))[0]


def surveys_of(plans):
    for _monitoring, case_surveys in plans:
        yield from case_surveys


def fill_monitoring(*, seed, organisations, users, out) -> None:
    started = time.monotonic()
    if FollowUp.objects.exists():
        out(f"monitoring: {FollowUp.objects.count():,} follow-ups already there, nothing to do")
        return
    filler = MonitoringFiller(seed=seed, organisations=organisations, users=users, out=out)
    for programme in Programme.objects.all():
        Schedule.objects.update_or_create(
            programme=programme,
            defaults={
                "months": list(BENCH_MONTHS),
                "survey_months": list(BENCH_MONTHS),
                "instrument": filler.version,
            },
        )
    with keep_given_timestamps():
        filler.fill()
    out(f"monitoring: {time.monotonic() - started:.0f} s")
    for name, n in filler.counts.items():
        out(f"  {name:<26} {n:>10,}")


def save_counters(counters, organisations) -> None:
    for (desk, year), last in counters.items():
        ReferenceCounter.objects.update_or_create(
            desk=organisations[desk], year=year, defaults={"last": last}
        )


def sync_transfer_consent() -> None:
    """What record_consent keeps on each case (see cases migration 0005)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET transfer_consent = EXISTS (SELECT 1 FROM cases_consent c "
            "WHERE c.case_id = cases_case.id AND c.purpose = 'transfer' AND c.given "
            "AND c.withdrawn_at IS NULL)"
        )


def analyze(out) -> None:
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if is_postgres() else "ANALYZE")
    out(f"{'VACUUM ANALYZE' if is_postgres() else 'ANALYZE'}: {time.monotonic() - started:.1f} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reset", action="store_true", help="delete earlier cases first")
    parser.add_argument(
        "--if-needed", action="store_true", help="do nothing when enough cases are there"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--grants",
        type=int,
        help="grants to write (default: 30 %% of --cases, 30,000 for 100,000 cases)",
    )
    parser.add_argument(
        "--grants-only",
        action="store_true",
        help="fill only the grants, into a database already filled with cases (with --reset: "
        "delete the grants first)",
    )
    parser.add_argument(
        "--monitoring-only",
        action="store_true",
        help="fill only the monitoring (follow-ups, attempts, surveys), into a database already "
        "filled with cases (with --reset: delete the monitoring first)",
    )
    parser.add_argument(
        "--no-analyze", action="store_true", help="skip ANALYZE (planner statistics) at the end"
    )
    args = parser.parse_args(argv)

    def out(message: str) -> None:
        print(message, flush=True)

    if "DATABASE_URL" not in os.environ:
        parser.error(
            "set DATABASE_URL to a database of its own (make bench does: var/bench.sqlite3); "
            "the demo database is never filled"
        )
    db = connection.settings_dict
    out(f"database: {connection.vendor} {db.get('NAME')}")
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    out(f"migrate: {time.monotonic() - started:.1f} s")

    existing = Case.objects.count()
    filled_by_bench = User.objects.filter(username__startswith=BENCH_USER_PREFIX).exists()
    if existing and not filled_by_bench:
        out(f"refusing: this database has {existing} cases that the bench did not create")
        return 2
    grants_target = args.grants if args.grants is not None else round(0.3 * args.cases)

    def grants_part() -> None:
        organisations, users = ensure_foundation()
        fill_grants(
            seed=args.seed,
            target=grants_target,
            organisations=organisations,
            users=users,
            staff=ensure_staff(organisations, users),
            out=out,
        )

    def monitoring_part() -> None:
        organisations, users = ensure_foundation()
        fill_monitoring(seed=args.seed, organisations=organisations, users=users, out=out)

    only = args.grants_only or args.monitoring_only
    if only or (args.if_needed and not args.reset and existing >= args.cases):
        if not existing:
            out("no cases: fill the cases first (without --grants-only or --monitoring-only)")
            return 2
        if args.grants_only and args.reset:
            reset_grants(out)
        if args.monitoring_only and args.reset:
            reset_monitoring(out)
        # --if-needed fills whichever part is missing; --*-only the part named.
        grants = args.grants_only or (not only and not Grant.objects.exists())
        monitoring = args.monitoring_only or (not only and not FollowUp.objects.exists())
        if not grants and not monitoring:
            out(f"{existing} cases already there: nothing to do (use --reset to fill again)")
            return 0
        parts = [name for name, on in (("grants", grants), ("monitoring", monitoring)) if on]
        out(f"{existing} cases already there; {' and '.join(parts)} only")
        if grants:
            grants_part()
        if monitoring:
            monitoring_part()
        if not args.no_analyze:
            analyze(out)
        out(f"total: {time.monotonic() - started:.0f} s")
        return 0
    if args.reset:
        reset(out)
    elif existing:
        out(f"{existing} cases already there; adding {args.cases - existing} more")

    organisations, users = ensure_foundation()
    staff = ensure_staff(organisations, users)
    cycles = ensure_cycles(organisations)
    target = args.cases
    filler = Filler(
        total=target,
        seed=args.seed + Case.objects.count(),
        organisations=organisations,
        staff=staff,
        cycles=cycles,
        out=out,
    )
    fill_started = time.monotonic()
    first = filler.done
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
    last_report = 0.0
    with keep_given_timestamps():
        while filler.done < target:
            n = min(CHUNK, target - filler.done)
            with transaction.atomic():
                filler.chunk(n)
                save_counters(filler.counters, organisations)
            elapsed = time.monotonic() - fill_started
            if elapsed - last_report >= 15 or filler.done >= target:
                last_report = elapsed
                rate = (filler.done - first) / elapsed if elapsed else 0
                eta = (target - filler.done) / rate if rate else 0
                out(
                    f"  {filler.done:>7,} cases  {elapsed:6.0f} s  ({rate:,.0f} cases/s, "
                    f"about {eta:,.0f} s to go)"
                )
    out(f"fill: {time.monotonic() - fill_started:.0f} s")
    for name, n in filler.counts.items():
        out(f"  {name:<24} {n:>10,}")
    sync_transfer_consent()
    grants_part()
    monitoring_part()
    if not args.no_analyze:
        analyze(out)
    out(f"total: {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
