"""About 60 demo cases across every phase and desk, built through the real actions so the
demo shows exactly what the product records: households, consent, journals, tasks,
handovers between Milan or Madrid and the national desks, and sensitive cases."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from retorno.accounts.middleware import act_as as acting
from retorno.cases import actions
from retorno.cases.models import Assignment, Consent, Person

MARKER = "DEMO-"

GIVEN_F = [
    "María",
    "Rosa",
    "Lucía",
    "Ana Paula",
    "Carmen",
    "Juana",
    "Luz Marina",
    "Fernanda",
    "Gabriela",
    "Yolanda",
    "Sônia",
    "Beatriz",
    "Flor",
    "Patricia",
    "Elena",
]
GIVEN_M = [
    "José",
    "Luis Alberto",
    "Juan Carlos",
    "Pedro",
    "Wilson",
    "João",
    "Carlos",
    "Jorge",
    "Edwin",
    "Miguel Ángel",
    "Raúl",
    "Francisco",
    "Marcos",
    "Víctor",
    "Hugo",
]
SURNAMES = [
    "Quispe",
    "Mamani",
    "Huamán",
    "Flores",
    "Rojas",
    "García",
    "Rodríguez",
    "Silva",
    "Santos",
    "Pérez",
    "Gómez",
    "Vargas",
    "Cruz",
    "Torres",
    "Ramírez",
    "Chávez",
    "Benítez",
    "Oliveira",
    "Castillo",
    "Morales",
    "Sánchez",
    "Ortiz",
    "Paredes",
]
CITIES = {
    "PE": ["Lima", "Arequipa", "Cusco", "Trujillo"],
    "BO": ["La Paz", "El Alto", "Cochabamba", "Santa Cruz"],
    "BR": ["Goiânia", "Belo Horizonte", "São Paulo", "Recife"],
    "CL": ["Santiago", "Valparaíso", "Antofagasta"],
    "CO": ["Bogotá", "Medellín", "Cali", "Pereira"],
    "EC": ["Quito", "Guayaquil", "Cuenca"],
    "PY": ["Asunción", "Ciudad del Este", "Encarnación"],
    "UY": ["Montevideo", "Salto", "Paysandú"],
}
NATIONAL = {
    "PE": "LIM",
    "BO": "LPZ",
    "BR": "BSB",
    "CL": "SCL",
    "CO": "BOG",
    "EC": "UIO",
    "PY": "ASU",
    "UY": "MVD",
}
COORDINATOR = {
    "MIL": "bruno.milano",
    "MAD": "sofia.madrid",
    "LIS": "joao.lisboa",
    "LIM": "mateo.lima",
    "LPZ": "rosa.lapaz",
    "BSB": "paulo.brasilia",
    "SCL": "camila.santiago",
    "BOG": "andres.bogota",
    "UIO": "diego.quito",
    "ASU": "nilda.asuncion",
    "MVD": "martin.montevideo",
}
CASEWORKER = {
    "MIL": "ana.milano",
    "MAD": "dario.madrid",
    "LIM": "lucia.lima",
    "LPZ": "wilma.lapaz",
    "BSB": "beatriz.brasilia",
    "SCL": "tomas.santiago",
    "BOG": "laura.bogota",
    "UIO": "pablo.quito",
    "ASU": "ramon.asuncion",
    "MVD": "elena.montevideo",
}

# (European desk or None for a walk-in at the national desk, return country, final phase,
#  children, sensitive)
PLAN = [
    ("MIL", "PE", "inquiry", 0, False),
    ("MIL", "PE", "intake", 2, False),
    ("MIL", "BO", "preparation", 1, False),
    ("MIL", "PE", "ready_to_depart", 2, True),
    ("MIL", "EC", "ready_to_depart", 0, False),
    ("MIL", "PE", "handed_over", 1, False),
    ("MIL", "CO", "handed_over", 0, False),
    ("MIL", "PE", "reception", 2, False),
    ("MIL", "PE", "reintegration", 0, False),
    ("MIL", "PE", "reintegration", 1, True),
    ("MIL", "PE", "follow_up", 0, False),
    ("MIL", "BO", "reception", 0, False),
    ("MIL", "EC", "reintegration", 2, False),
    ("MIL", "PE", "closed", 0, False),
    ("MIL", "PE", "intake", 0, True),
    ("MIL", "BR", "preparation", 0, False),
    ("MAD", "CO", "inquiry", 0, False),
    ("MAD", "EC", "intake", 1, False),
    ("MAD", "PE", "preparation", 0, False),
    ("MAD", "BO", "ready_to_depart", 1, False),
    ("MAD", "PY", "handed_over", 0, False),
    ("MAD", "PE", "reception", 0, False),
    ("MAD", "PE", "reintegration", 3, False),
    ("MAD", "CO", "reintegration", 0, False),
    ("MAD", "EC", "follow_up", 1, False),
    ("MAD", "UY", "reception", 0, False),
    ("MAD", "CL", "reintegration", 0, False),
    ("MAD", "PE", "closed", 0, False),
    ("LIS", "BR", "inquiry", 0, False),
    ("LIS", "BR", "preparation", 1, False),
    ("LIS", "BR", "ready_to_depart", 0, False),
    ("LIS", "BR", "reintegration", 2, False),
    ("LIS", "BR", "follow_up", 0, False),
    ("LIS", "BR", "handed_over", 0, False),
    (None, "PE", "reception", 0, False),
    (None, "PE", "reception", 2, True),
    (None, "PE", "reintegration", 1, False),
    (None, "PE", "follow_up", 0, False),
    (None, "PE", "closed", 0, False),
    (None, "BO", "reception", 0, False),
    (None, "BO", "reintegration", 1, False),
    (None, "BR", "reception", 0, False),
    (None, "CL", "reception", 0, False),
    (None, "CL", "follow_up", 0, False),
    (None, "CO", "reception", 2, False),
    (None, "CO", "reintegration", 0, False),
    (None, "EC", "reception", 0, False),
    (None, "EC", "follow_up", 0, False),
    (None, "PY", "reception", 1, False),
    (None, "PY", "reintegration", 0, False),
    (None, "UY", "reception", 0, False),
    (None, "UY", "closed", 0, False),
    ("MIL", "PE", "inquiry", 0, False),
    ("MIL", "CO", "intake", 0, False),
    ("MAD", "PE", "inquiry", 0, False),
    ("MAD", "BO", "preparation", 0, False),
    ("MIL", "PE", "follow_up", 1, False),
    ("MAD", "PE", "follow_up", 0, False),
    ("MIL", "PE", "reception", 0, True),
    ("MAD", "PE", "closed", 0, False),
]

# What the demo's caseworkers write, in the language each desk works in; a handover summary
# is written in the language of the desk that receives it.
DESK_LANGUAGE = {"MIL": "it", "MAD": "es", "LIS": "pt", "BSB": "pt"}  # the other desks: "es"

JOURNAL = {
    "it": [
        (
            "orientation",
            "Primo orientamento: spiegati il programma, le fasi e cosa offre lo sportello.",
        ),
        (
            "counselling",
            "Colloquio sulla decisione di rientrare e sulle aspettative della famiglia.",
        ),
        ("call", "Telefonata per confermare il prossimo appuntamento e i documenti da portare."),
        (
            "psychosocial",
            "Sessione psicosociale: preoccupazione per lavoro e casa dopo il rientro.",
        ),
        ("visit", "Visita a domicilio dopo l'arrivo: per ora la famiglia vive da parenti."),
    ],
    "es": [
        (
            "orientation",
            "Primera orientación: explicado el programa, las fases y lo que ofrece la oficina.",
        ),
        (
            "counselling",
            "Sesión de consejería sobre la decisión de volver y las expectativas de la familia.",
        ),
        ("call", "Llamada para confirmar la próxima cita y los documentos que debe traer."),
        (
            "psychosocial",
            "Sesión psicosocial: preocupación por encontrar trabajo y vivienda al volver.",
        ),
        ("visit", "Visita domiciliaria tras la llegada: por ahora la familia vive con parientes."),
    ],
    "pt": [
        (
            "orientation",
            "Primeira orientação: explicado o programa, as fases e o que o balcão oferece.",
        ),
        (
            "counselling",
            "Sessão de aconselhamento sobre a decisão de regressar e as expectativas da família.",
        ),
        ("call", "Chamada para confirmar a próxima marcação e os documentos a trazer."),
        (
            "psychosocial",
            "Sessão psicossocial: preocupação em encontrar trabalho e casa no regresso.",
        ),
        ("visit", "Visita domiciliária após a chegada: por agora a família vive com familiares."),
    ],
}
TASKS = {
    "it": [
        "Controllare i passaporti dei figli",
        "Fissare il colloquio di orientamento",
        "Chiedere le pagelle scolastiche",
        "Telefonare per il volo",
        "Telefonata di controllo dopo l'arrivo",
        "Inviare i certificati di lavoro per il riconoscimento",
    ],
    "es": [
        "Revisar los pasaportes de los hijos",
        "Reservar la sesión de orientación",
        "Pedir los certificados escolares",
        "Llamar por el vuelo",
        "Llamada de seguimiento tras la llegada",
        "Enviar los certificados de trabajo para su reconocimiento",
    ],
    "pt": [
        "Verificar os passaportes dos filhos",
        "Marcar a sessão de orientação",
        "Pedir os registos escolares",
        "Ligar sobre o voo",
        "Chamada de acompanhamento após a chegada",
        "Enviar os certificados de trabalho para reconhecimento",
    ],
}
ASSESSMENT_SUMMARY = {
    "it": "Ha perso il lavoro a marzo; i risparmi finiscono presto; i figli cercano una scuola.",
    "es": "Perdió el trabajo en marzo; los ahorros se acaban pronto; los hijos necesitan escuela.",
    "pt": "Perdeu o trabalho em março; as poupanças acabam em breve; os filhos precisam de escola.",
}
HANDOVER = {
    "es": {
        "situation": "Vuelve tras perder el trabajo en Europa; la familia vive de sus ahorros.",
        "needs": "Un trabajo o una formación; escuela para los hijos; vivienda los primeros meses.",
        "plan_so_far": "Formación profesional en el oficio que ejerció en Europa.",
        "risks": "Sin apoyo familiar en la ciudad de retorno.",
        "promises": "La oficina nacional llamará en la semana de llegada.",
    },
    "pt": {
        "situation": "Regressa após perder o trabalho na Europa; a família vive das poupanças.",
        "needs": "Um trabalho ou formação; escola para os filhos; casa nos primeiros meses.",
        "plan_so_far": "Formação profissional no ofício que exerceu na Europa.",
        "risks": "Sem apoio familiar na cidade de regresso.",
        "promises": "O balcão nacional liga na semana da chegada.",
    },
}
CLOSE_NOTE = {
    "it": "Lavora ed è stabile.",
    "es": "Trabaja y está estable.",
    "pt": "Está a trabalhar e estável.",
}


def _language(actor) -> str:
    return DESK_LANGUAGE.get(actor.membership.organisation.code, "es")


def demo_cases_exist() -> bool:
    return Person.objects.filter(desk_reference__startswith=MARKER).exists()


@transaction.atomic
def ensure_demo_cases(users: dict, organisations: dict) -> int:
    """Build the demo cases once; running it again changes nothing."""
    if demo_cases_exist():
        return 0
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    for n, (european, country, phase, children, sensitive) in enumerate(PLAN, start=1):
        female = n % 3 != 0
        given = rng.choice(GIVEN_F if female else GIVEN_M)
        first, second = rng.sample(SURNAMES, 2)
        desk = european or NATIONAL[country]
        worker = acting(users[CASEWORKER.get(desk, COORDINATOR[desk])])
        coordinator = acting(users[COORDINATOR[desk]])
        person = {
            "given_names": given,
            "first_surname": first,
            "second_surname": second if n % 5 else "",
            "sex": "female" if female else "male",
            "birth_year": rng.randint(1970, 2001),
            "birth_month": rng.randint(1, 12),
            "birth_day": rng.randint(1, 28),
            "nationality": country,
            "return_country": country,
            "return_city": rng.choice(CITIES[country]),
            "languages": ["pt"] if country == "BR" else ["es"],
            "education_level": rng.choice(
                ["primary", "lower_secondary", "upper_secondary", "vocational"]
            ),
            "occupation": rng.choice(
                ["Care worker", "Cleaner", "Builder", "Cook", "Farm worker", "Shop assistant"]
            ),
            "desk_reference": f"{MARKER}{n:03d}",
        }
        documents = [
            {
                "type": "passport",
                "number": f"{country}{rng.randint(1000000, 9999999)}",
                "issuing_country": country,
            }
        ]
        # Made-up persons: look-alikes are welcome (the duplicate report shows them).
        case = actions.register_returnee(
            actor=worker, person=person, documents=documents, confirmed_not_duplicate=True
        )
        for _child in range(children):
            actions.add_household_member(
                case,
                actor=worker,
                relationship="child",
                person={
                    "given_names": rng.choice(GIVEN_F + GIVEN_M).split()[0],
                    "first_surname": first if not female else rng.choice(SURNAMES),
                    "second_surname": first if female else second,
                    "birth_year": rng.randint(2010, 2022),
                },
            )
        categories = ["children"] if children else []
        categories += rng.sample(
            ["job_loss", "weak_networks", "hard_to_certify", "low_schooling"], 2
        )
        if sensitive:
            categories.append("gbv" if n % 2 else "trafficking")
        case = actions.record_vulnerability(case, actor=worker, categories=categories)
        _advance(
            case,
            phase,
            worker=worker,
            coordinator=coordinator,
            users=users,
            organisations=organisations,
            country=country,
            european=european,
            rng=rng,
            today=today,
        )
    return len(PLAN)


def _consent(case, actor, purpose, days_ago=30):
    actions.record_consent(
        case,
        actor=actor,
        purpose=purpose,
        given=True,
        decided_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        method=Consent.Method.SIGNED_FORM,
    )


def _journal(case, actor, rng, count, today):
    for i in range(count):
        entries = JOURNAL[_language(actor)]
        kind, text = entries[(i + rng.randint(0, 4)) % len(entries)]
        actions.add_journal_entry(
            case,
            actor=actor,
            kind=kind,
            occurred_on=today - datetime.timedelta(days=rng.randint(1, 60)),
            duration_minutes=rng.choice([20, 30, 45, 60]),
            summary=text,
            confidential=kind == "psychosocial" and case.sensitive,
        )


def _tasks(case, actor, rng, today):
    for _ in range(rng.randint(1, 2)):
        actions.create_task(
            case,
            actor=actor,
            title=rng.choice(TASKS[_language(actor)]),
            assignee=actor,
            due_on=today + datetime.timedelta(days=rng.randint(-6, 20)),
        )


def _advance(
    case, phase, *, worker, coordinator, users, organisations, country, european, rng, today
):
    if european is None:
        # A walk-in at the national desk: the case starts at reception.
        _consent(case, worker, Consent.Purpose.CASE_MANAGEMENT)
        _consent(case, worker, Consent.Purpose.FOLLOW_UP)
        _journal(case, worker, rng, 2, today)
        _continue_national(case, phase, worker, rng, today)
        return
    _consent(case, worker, Consent.Purpose.CASE_MANAGEMENT, days_ago=60)
    if phase == "inquiry":
        _tasks(case, worker, rng, today)
        return
    steps = ["intake", "preparation", "ready_to_depart"]
    target = phase if phase in steps else "ready_to_depart"
    for step in steps[: steps.index(target) + 1]:
        case = actions.change_phase(case, actor=worker, to=step)
    _journal(case, worker, rng, 2, today)
    actions.record_assessment(
        case,
        actor=worker,
        assessed_on=today - datetime.timedelta(days=40),
        economic=3,
        social=2,
        psychosocial=rng.randint(1, 3),
        health=1,
        legal=2,
        education=1,
        housing=3,
        summary=ASSESSMENT_SUMMARY[_language(worker)],
    )
    if phase in steps:
        _tasks(case, worker, rng, today)
        if phase == "ready_to_depart" and rng.random() < 0.7:
            _consent(case, worker, Consent.Purpose.TRANSFER, days_ago=10)
        return
    _consent(case, worker, Consent.Purpose.TRANSFER, days_ago=20)
    to_desk = organisations[NATIONAL[country]]
    handover = actions.hand_over_case(
        case,
        actor=worker,
        to_desk=to_desk,
        **HANDOVER["pt" if country == "BR" else "es"],
        travel_date=today + datetime.timedelta(days=rng.randint(-40, 20)),
    )
    if phase == "handed_over":
        return
    receiving = acting(users[COORDINATOR[to_desk.code]])
    national_worker = acting(users[CASEWORKER.get(to_desk.code, COORDINATOR[to_desk.code])])
    case = actions.accept_handover(handover, actor=receiving, caseworker=national_worker)
    if phase != "reception":
        # A case already past reception was assigned weeks ago: not "newly assigned".
        Assignment.objects.filter(case=case).update(
            assigned_at=timezone.now() - datetime.timedelta(days=30)
        )
    _continue_national(case, phase, national_worker, rng, today)


def _continue_national(case, phase, worker, rng, today):
    order = ["reception", "reintegration", "follow_up"]
    target = "follow_up" if phase == "closed" else phase
    for step in order[1 : order.index(target) + 1]:
        case = actions.change_phase(case, actor=worker, to=step)
    _journal(case, worker, rng, 1, today)
    if phase == "closed":
        # Its follow-ups planned at reception are open tasks: closing cancels them.
        actions.close_case(
            case,
            actor=worker,
            reason="completed",
            note=CLOSE_NOTE[_language(worker)],
            cancel_open_tasks=True,
        )
        return
    _tasks(case, worker, rng, today)
