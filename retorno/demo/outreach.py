"""The demo's information campaign, built through retorno.outreach.actions: the public site's
pages and country guides as shipped (loaded and published by olga.outreach), the campaign of the
current cycle, local organisations, info sessions held and upcoming in Lombardy (Milano,
Brescia), Piedmont (Torino), Liguria (Genova), Lazio (Roma), Madrid and Lisbon, sign-ups (two
upcoming sessions full with a waiting list, one place cancelled and given to the next person
waiting), attendance of the sessions held, and about twenty-five leads from the site, from
local organisations and from sessions, in every state: new (a few already past the day they
should have been answered by), contacted, not interested, duplicate, and turned into inquiry
cases by the desk's staff.

Sign-ups are taken while a session is still ahead, as the public site takes them; the sessions
held are then moved into the past with queryset updates, as are the leads' dates. Names of
people are fictional. Running it again changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from retorno.accounts.middleware import act_as
from retorno.accounts.models import Organisation, User
from retorno.lib.errors import PossibleDuplicate
from retorno.outreach.actions import leads as lead_actions
from retorno.outreach.actions import public
from retorno.outreach.management.commands.load_public_content import load_public_content
from retorno.outreach.models import (
    AttendanceCount,
    Audience,
    Campaign,
    InfoSession,
    Lead,
    LocalOrganisation,
    SignUp,
)
from retorno.programmes.models import Cycle

CAMPAIGN = "Ritorno informato 2026"

# name, kind, region, province, email, phone
ORGANISATIONS = {
    "comune": ("Comune di Milano – Servizio Stranieri", "municipality", "IT-25", "Milano",
               "stranieri@comune-milano.example", "+39 02 0000 1001"),
    "genova": ("Asociación Peruanos en Génova", "association", "IT-42", "Genova",
               "info@peruanos-genova.example", "+39 010 000 1002"),
    "consolato": ("Consulado del Ecuador en Roma", "consulate", "IT-62", "Roma",
                  "consulado-roma@ecuador.example", "+39 06 0000 1003"),
    "sindacato": ("Sportello migranti – Camera del Lavoro di Torino", "trade_union", "IT-21",
                  "Torino", "migranti@cdl-torino.example", "+39 011 000 1004"),
    "brescia": ("Associazione Bolivia Unita Brescia", "association", "IT-25", "Brescia",
                "boliviaunita@brescia.example", "+39 030 000 1005"),
    "madrid": ("Fundación Puentes de Retorno", "ngo", "ES-MD", "Madrid",
               "contacto@puentes.example", "+34 91 000 10 06"),
    "lisboa": ("Associação Mãos Dadas Lisboa", "association", "PT-11", "Lisboa",
               "geral@maosdadas.example", "+351 21 000 1007"),
}  # fmt: skip

# key: title, language, region, province, venue, address, days from today, audience, capacity,
# desk, partners, organisations reached. A negative day is a session already held.
SESSIONS = {
    "milano-held": ("Tornare in Perù: cosa sapere prima di partire", "es", "IT-25", "Milano",
                    "Casa delle Associazioni", "Via Marsala 8, Milano", -60, Audience.MIGRANTS,
                    40, "MIL", ["comune"], []),
    "brescia-held": ("Tornare in Bolivia e in Perù: incontro informativo", "es", "IT-25",
                     "Brescia", "Sala civica di via Milano", "Via Milano 59, Brescia", -45,
                     Audience.BOTH, 30, "MIL", ["brescia"], ["brescia", "comune"]),
    "torino-held": ("Il programma Retorno per chi accompagna i migranti", "it", "IT-21",
                    "Torino", "Camera del Lavoro", "Via Pedrotti 5, Torino", -30,
                    Audience.ORGANISATIONS, 25, "MIL", ["sindacato"], ["sindacato", "consolato"]),
    "madrid-held": ("Volver a Ecuador y Colombia: lo que debe saber", "es", "ES-MD", "Madrid",
                    "Centro Cultural de Tetuán", "Calle de Bravo Murillo 251, Madrid", -20,
                    Audience.MIGRANTS, 50, "MAD", ["madrid"], []),
    "lisboa-held": ("Voltar para o Brasil: o que precisa de saber", "pt", "PT-11", "Lisboa",
                    "Junta de Freguesia de Arroios", "Rua de Arroios 50, Lisboa", -15,
                    Audience.BOTH, 35, "LIS", ["lisboa"], ["lisboa"]),
    "genova-full": ("Tornare in Perù e in Ecuador: domande e risposte", "es", "IT-42", "Genova",
                    "Sala della Asociación Peruanos en Génova", "Via Balbi 12, Genova", 7,
                    Audience.MIGRANTS, 6, "MIL", ["genova"], []),
    "roma": ("Rientro in Ecuador: documenti e diritti", "es", "IT-62", "Roma",
             "Consulado del Ecuador", "Via Nazionale 70, Roma", 12, Audience.BOTH, 30, "MIL",
             ["consolato"], []),
    "milano-orgs": ("Come segnalare una persona al programma", "it", "IT-25", "Milano",
                    "Comune di Milano, Sala Conferenze", "Via Scaldasole 5, Milano", 20,
                    Audience.ORGANISATIONS, 25, "MIL", ["comune"], []),
    "madrid-full": ("Volver a Perú y Bolivia: sesión informativa", "es", "ES-MD", "Madrid",
                    "Fundación Puentes de Retorno", "Calle de Bravo Murillo 120, Madrid", 10,
                    Audience.MIGRANTS, 4, "MAD", ["madrid"], []),
    "lisboa": ("Voltar para o Brasil e o Uruguai", "pt", "PT-11", "Lisboa",
               "Associação Mãos Dadas", "Rua de Arroios 50, Lisboa", 25, Audience.MIGRANTS, 30,
               "LIS", ["lisboa"], []),
}  # fmt: skip

# session: (name, email, phone, language, places, consents to attendance by name, attended)
SIGNUPS = {
    "milano-held": [
        ("Rosa Quispe Mamani", "rosa.quispe@example.com", "", "es", 2, True, True),
        ("Julio César Huamán Ríos", "", "+39 320 000 0011", "es", 1, True, True),
        ("Milagros Torres Vega", "milagros.tv@example.com", "", "es", 1, True, False),
        ("Wilber Condori Apaza", "", "+39 320 000 0012", "es", 3, False, None),
    ],
    "brescia-held": [
        ("Feliciano Choque Limachi", "", "+39 320 000 0013", "es", 1, True, True),
        ("Norma Flores Ticona", "norma.flores@example.com", "", "es", 2, True, True),
        ("Edwin Mamani Cruz", "", "+39 320 000 0014", "es", 1, False, None),
    ],
    "torino-held": [
        (
            "Giulia Ferraro (Sportello migranti)",
            "g.ferraro@cdl-torino.example",
            "",
            "it",
            2,
            True,
            True,
        ),
    ],
    "madrid-held": [
        ("Luz Marina Cedeño Zambrano", "luzmarina@example.com", "", "es", 1, True, True),
        ("Jhon Freddy Ospina Cárdenas", "", "+34 600 000 021", "es", 2, True, True),
        ("Blanca Alvarado Pazmiño", "blanca.ap@example.com", "", "es", 1, False, None),
    ],
    "lisboa-held": [
        ("Francisca das Chagas Souza", "chaguinha@example.com", "", "pt", 1, True, True),
        ("Edvaldo Nascimento Lima", "", "+351 910 000 031", "pt", 2, True, False),
    ],
    "genova-full": [
        ("Yolanda Villanueva Quispe", "yolanda.vq@example.com", "", "es", 2, True, None),
        ("Percy Salazar Huanca", "", "+39 320 000 0015", "es", 2, False, None),
        ("Gladys Paredes Loayza", "gladys.pl@example.com", "", "es", 2, True, None),
        ("Segundo Vílchez Tello", "", "+39 320 000 0016", "es", 1, True, None),
        ("Carmen Rosa Yupanqui", "carmenrosa@example.com", "", "es", 1, False, None),
    ],
    "roma": [
        ("Narcisa Chiriboga León", "narcisa.cl@example.com", "", "es", 1, True, None),
        ("Washington Guamán Yépez", "", "+39 320 000 0017", "es", 2, False, None),
    ],
    "madrid-full": [
        ("Hilda Mercado Rojas", "hilda.mr@example.com", "", "es", 2, True, None),
        ("Rubén Darío Quiroga", "", "+34 600 000 022", "es", 2, True, None),
        ("Sonia Ayala Cáceres", "sonia.ac@example.com", "", "es", 1, False, None),
        ("Teófilo Huarachi Vargas", "", "+34 600 000 023", "es", 1, True, None),
        ("Eulogia Cusi Poma", "eulogia.cp@example.com", "", "es", 2, True, None),
    ],
    "lisboa": [
        ("Raimunda Ferreira Costa", "raimunda.fc@example.com", "", "pt", 1, True, None),
    ],
}

# (sex, age band, nationality, people) counted at each session held, beside those named.
COUNTS = {
    "milano-held": [("female", "30-44", "PE", 9), ("male", "30-44", "PE", 6),
                    ("female", "45-59", "PE", 4), ("male", "18-29", "EC", 2),
                    ("female", "unknown", "", 3)],
    "brescia-held": [("female", "30-44", "BO", 7), ("male", "45-59", "BO", 5),
                     ("female", "18-29", "PE", 2)],
    "torino-held": [("female", "30-44", "IT", 6), ("male", "45-59", "IT", 3),
                    ("female", "45-59", "PE", 1)],
    "madrid-held": [("female", "30-44", "EC", 11), ("male", "30-44", "CO", 8),
                    ("female", "45-59", "CO", 5), ("male", "60+", "EC", 2),
                    ("unknown", "unknown", "", 4)],
    "lisboa-held": [("female", "30-44", "BR", 8), ("male", "18-29", "BR", 5),
                    ("female", "45-59", "UY", 2)],
}  # fmt: skip

# Leads: (source, given names, surnames, channel, phone, email, region, province, country,
# language, days ago, referrer or session key). Those made more than a week ago are past the day
# they should have been answered by.
LEADS = [
    (
        "site",
        "María Elena",
        "Huanca Quispe",
        "whatsapp",
        "+39 351 000 0101",
        "",
        "IT-25",
        "Milano",
        "PE",
        "es",
        0,
        None,
    ),
    (
        "site",
        "Jorge Luis",
        "Rivas Montalvo",
        "phone",
        "+39 351 000 0102",
        "",
        "IT-25",
        "Bergamo",
        "EC",
        "es",
        1,
        None,
    ),
    (
        "site",
        "Ana Lucía",
        "Benítez Giménez",
        "email",
        "",
        "analucia.bg@example.com",
        "IT-21",
        "Torino",
        "PY",
        "es",
        2,
        None,
    ),
    (
        "site",
        "Cleiton",
        "Rodrigues da Silva",
        "whatsapp",
        "+39 351 000 0104",
        "",
        "IT-42",
        "Genova",
        "BR",
        "pt",
        0,
        None,
    ),
    (
        "site",
        "Soledad",
        "Rojas Fuentes",
        "email",
        "",
        "soledad.rf@example.com",
        "IT-62",
        "Roma",
        "CL",
        "es",
        9,
        None,
    ),
    (
        "site",
        "Édgar",
        "Mamani Quispe",
        "phone",
        "+39 351 000 0106",
        "",
        "IT-25",
        "Brescia",
        "BO",
        "es",
        11,
        None,
    ),
    (
        "site",
        "Yesenia",
        "Caicedo Mina",
        "whatsapp",
        "+34 611 000 107",
        "",
        "ES-MD",
        "Madrid",
        "CO",
        "es",
        1,
        None,
    ),
    (
        "site",
        "Washington",
        "Pérez Olivera",
        "email",
        "",
        "wpo@example.com",
        "ES-CT",
        "Barcelona",
        "UY",
        "es",
        3,
        None,
    ),
    (
        "site",
        "Maritza",
        "Loor Vera",
        "whatsapp",
        "+34 611 000 109",
        "",
        "ES-MD",
        "Madrid",
        "EC",
        "es",
        8,
        None,
    ),
    (
        "site",
        "Antônia",
        "Barbosa Pereira",
        "phone",
        "+351 912 000 110",
        "",
        "PT-11",
        "Lisboa",
        "BR",
        "pt",
        2,
        None,
    ),
    (
        "site",
        "Gustavo",
        "Núñez Sosa",
        "email",
        "",
        "gns@example.com",
        "PT-13",
        "Porto",
        "UY",
        "es",
        0,
        None,
    ),
    (
        "site",
        "Kelly Johana",
        "Restrepo Gil",
        "whatsapp",
        "+39 351 000 0112",
        "",
        "IT-62",
        "Roma",
        "CO",
        "it",
        1,
        None,
    ),
    (
        "organisation",
        "Luzmila",
        "Cutipa Apaza",
        "phone",
        "+39 351 000 0201",
        "",
        "IT-25",
        "Brescia",
        "BO",
        "es",
        2,
        "brescia",
    ),
    (
        "organisation",
        "Daniel",
        "Chumpitaz Ramos",
        "whatsapp",
        "+39 351 000 0202",
        "",
        "IT-42",
        "Genova",
        "PE",
        "es",
        1,
        "genova",
    ),
    (
        "organisation",
        "Fanny",
        "Moreira Cevallos",
        "phone",
        "+39 351 000 0203",
        "",
        "IT-62",
        "Roma",
        "EC",
        "es",
        10,
        "consolato",
    ),
    (
        "organisation",
        "Rosa Amelia",
        "Ccori Huamaní",
        "whatsapp",
        "+39 351 000 0204",
        "",
        "IT-21",
        "Torino",
        "PE",
        "es",
        3,
        "sindacato",
    ),
    (
        "organisation",
        "Ramón",
        "Villalba Ortiz",
        "email",
        "",
        "ramon.vo@example.com",
        "IT-25",
        "Milano",
        "PY",
        "es",
        0,
        "comune",
    ),
    (
        "organisation",
        "Leidy",
        "Valencia Mosquera",
        "whatsapp",
        "+34 611 000 206",
        "",
        "ES-MD",
        "Madrid",
        "CO",
        "es",
        2,
        "madrid",
    ),
    (
        "organisation",
        "Josefa",
        "Santos Oliveira",
        "phone",
        "+351 912 000 207",
        "",
        "PT-11",
        "Lisboa",
        "BR",
        "pt",
        1,
        "lisboa",
    ),
    (
        "session",
        "Teodora",
        "Quispe Ccahuana",
        "whatsapp",
        "+39 351 000 0301",
        "",
        "IT-25",
        "Milano",
        "PE",
        "es",
        58,
        "milano-held",
    ),
    (
        "session",
        "Hernán",
        "Torrico Vargas",
        "phone",
        "+39 351 000 0302",
        "",
        "IT-25",
        "Brescia",
        "BO",
        "es",
        2,
        "brescia-held",
    ),
    (
        "session",
        "Gloria",
        "Medina Espinoza",
        "email",
        "",
        "gloria.me@example.com",
        "IT-25",
        "Milano",
        "PE",
        "es",
        1,
        "milano-held",
    ),
    (
        "session",
        "Wilson",
        "Arboleda Cuero",
        "whatsapp",
        "+34 611 000 304",
        "",
        "ES-MD",
        "Madrid",
        "CO",
        "es",
        18,
        "madrid-held",
    ),
    (
        "session",
        "Nayara",
        "Cardoso Alves",
        "phone",
        "+351 912 000 305",
        "",
        "PT-11",
        "Lisboa",
        "BR",
        "pt",
        1,
        "lisboa-held",
    ),
    (
        "session",
        "Patricio",
        "Muñoz Castro",
        "email",
        "",
        "patricio.mc@example.com",
        "IT-21",
        "Torino",
        "CL",
        "es",
        0,
        "torino-held",
    ),
]

# Who enters a lead from a session: the desk's outreach officer or coordinator.
SESSION_STAFF = {"MIL": "olga.outreach", "MAD": "sofia.madrid", "LIS": "joao.lisboa"}
REFERRER_CONTACT = {
    "comune": "Paola Galli",
    "genova": "Zoila Ccahuana",
    "consolato": "Sección consular",
    "sindacato": "Giulia Ferraro",
    "brescia": "Rolando Quispe",
    "madrid": "Beatriz Olmedo",
    "lisboa": "Helena Matos",
}


def demo_outreach_exists() -> bool:
    return Campaign.objects.filter(name=CAMPAIGN).exists()


def _staff(username: str, desk: str):
    return act_as(User.objects.get(username=username), desk)


@transaction.atomic
def ensure_demo_outreach() -> int:
    """Load the public content and build the demo campaign once. Returns how many leads it made
    (0 when the campaign was there already)."""
    load_public_content(_staff("olga.outreach", "MIL"))
    if demo_outreach_exists():
        return 0
    cycle = (
        Cycle.objects.filter(programme__code="RETORNO", name="2026").first()
        or Cycle.objects.order_by("-starts_on").first()
    )
    campaign = Campaign.objects.create(
        cycle=cycle,
        name=CAMPAIGN,
        description=(
            "Campagna web e incontri informativi in Lombardia, Piemonte, Liguria e Lazio, a "
            "Madrid e a Lisbona, per i migranti che pensano di tornare e per gli enti che li "
            "incontrano."
        ),
    )
    organisations = _organisations()
    sessions = _sessions(campaign, organisations)
    _sign_ups(sessions)
    _hold_past_sessions(sessions)
    made = _leads(sessions, organisations)
    _triage()
    return made


def _organisations() -> dict[str, LocalOrganisation]:
    found = {}
    for key, (name, kind, region, province, email, phone) in ORGANISATIONS.items():
        found[key], _ = LocalOrganisation.objects.get_or_create(
            name=name,
            region=region,
            defaults={"kind": kind, "province": province, "email": email, "phone": phone},
        )
    return found


def _sessions(campaign, organisations) -> dict[str, InfoSession]:
    desks = {o.code: o for o in Organisation.objects.filter(code__in=("MIL", "MAD", "LIS"))}
    # Every session is made ahead (sign-ups are taken before it); those held move back later.
    start = timezone.localtime().replace(hour=17, minute=30, second=0, microsecond=0)
    made = {}
    for n, (key, row) in enumerate(SESSIONS.items()):
        title, language, region, province, venue, address, days, audience = row[:8]
        capacity, desk, partners, reached = row[8:]
        starts_at = start + datetime.timedelta(days=max(days, 1), minutes=30 * (n % 2))
        session = InfoSession.objects.create(
            campaign=campaign,
            desk=desks[desk],
            title=title,
            description=_description(language),
            language=language,
            region=region,
            province=province,
            venue=venue,
            address=address,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            audience=audience,
            capacity=capacity,
        )
        session.partners.set([organisations[k] for k in partners])
        session.organisations_reached.set([organisations[k] for k in reached])
        made[key] = session
    return made


def _description(language: str) -> str:
    return {
        "it": "Che cosa offre il programma, chi può partecipare, come funziona il ritorno. "
        "Ingresso libero, con iscrizione.",
        "es": "Qué ofrece el programa, quién puede participar, cómo funciona el retorno. "
        "Entrada libre, con inscripción.",
        "pt": "O que o programa oferece, quem pode participar, como funciona o retorno. "
        "Entrada livre, com inscrição.",
    }[language]


def _sign_ups(sessions) -> None:
    for key, rows in SIGNUPS.items():
        session = sessions[key]
        made = []
        for name, email, phone, language, places, consent, _attended in rows:
            signup, _secret = public.sign_up(
                session,
                name=name,
                email=email,
                phone=phone,
                language=language,
                places=places,
                consent_attendance=consent,
            )
            made.append(signup)
        if key == "madrid-full":
            # The second person cancels by their link; the first one waiting gets the places.
            public.cancel_sign_up(made[1])


def _hold_past_sessions(sessions) -> None:
    start = timezone.localtime().replace(hour=17, minute=30, second=0, microsecond=0)
    for key, row in SESSIONS.items():
        days = row[6]
        if days >= 0:
            continue
        session = sessions[key]
        starts_at = start + datetime.timedelta(days=days)
        InfoSession.objects.filter(pk=session.pk).update(
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            status=InfoSession.Status.HELD,
        )
        # Attendance by name only for those who agreed to it; the others are in the counts.
        attended = {name: present for name, *_rest, consent, present in SIGNUPS[key] if consent}
        for signup in SignUp.objects.filter(session=session, name__in=attended):
            SignUp.objects.filter(pk=signup.pk).update(attended=attended[signup.name])
        AttendanceCount.objects.bulk_create(
            AttendanceCount(session=session, sex=s, age_band=a, nationality=c, count=n)
            for s, a, c, n in COUNTS[key]
        )


def _leads(sessions, organisations) -> int:
    now = timezone.now()
    for row in LEADS:
        source, given, surnames, channel, phone, email, region, province, country, lang = row[:10]
        days_ago, about = row[10:]
        fields = {
            "given_names": given,
            "surnames": surnames,
            "channel": channel,
            "phone": phone,
            "email": email,
            "region": region,
            "province": province,
            "return_country": country,
            "language": lang,
        }
        session = actor = None
        if source == Lead.Source.ORGANISATION:
            org = organisations[about]
            fields.update(
                referrer_name=org.name,
                referrer_contact=REFERRER_CONTACT[about],
                referrer_email=org.email,
                referrer_phone=org.phone,
            )
        elif source == Lead.Source.SESSION:
            session = sessions[about]
            desk = session.desk.code
            actor = _staff(SESSION_STAFF[desk], desk)
        lead = public.create_lead(
            source=source, fields=fields, consent=True, session=session, actor=actor
        )
        if days_ago:
            created = now - datetime.timedelta(days=days_ago, hours=days_ago % 5)
            respond_by = timezone.localdate(created) + (lead.respond_by - timezone.localdate(now))
            Lead.objects.filter(pk=lead.pk).update(
                created_at=created, consent_at=created, respond_by=respond_by
            )
    return len(LEADS)


# What the desks did with the leads that are not overdue, in turn: the first stays new.
TRIAGE = ("new", "contacted", "converted", "not_interested", "contacted", "duplicate", "converted")
TRIAGE_STAFF = {
    "MIL": ("olga.outreach", "ana.milano"),
    "MAD": ("dario.madrid",),
    "LIS": ("joao.lisboa",),
}


def _triage() -> None:
    """Triage through the leads' actions, as the desks' staff would: leads past their answer-by
    day stay new, so that My work flags them."""
    today = timezone.localdate()
    fresh = Lead.objects.filter(respond_by__gte=today).select_related("desk").order_by("pk")
    for number, lead in enumerate(fresh):
        state = TRIAGE[number % len(TRIAGE)]
        names = TRIAGE_STAFF.get(lead.desk.code)
        if state == "new" or not names:
            continue
        actor = _staff(names[number % len(names)], lead.desk.code)
        if state == "contacted":
            lead_actions.mark_contacted(
                lead, actor=actor, version=lead.version, note=CONTACT_NOTE[lead.language]
            )
        elif state == "not_interested":
            lead_actions.mark_not_interested(
                lead, actor=actor, version=lead.version, note=NOT_INTERESTED_NOTE[lead.language]
            )
        elif state == "duplicate":
            lead_actions.mark_duplicate(
                lead, actor=actor, version=lead.version, note=DUPLICATE_NOTE[lead.language]
            )
        else:
            try:
                lead_actions.convert_to_inquiry(lead, actor=actor, version=lead.version)
            except PossibleDuplicate:
                lead_actions.mark_duplicate(
                    lead, actor=actor, version=lead.version, note=DUPLICATE_NOTE[lead.language]
                )


CONTACT_NOTE = {
    "it": "Chiamata: verrà all'incontro informativo del mese prossimo.",
    "es": "Llamada: vendrá a la sesión informativa del mes que viene.",
    "pt": "Chamada: virá à sessão informativa do próximo mês.",
    "en": "Called: will come to next month's info session.",
}
NOT_INTERESTED_NOTE = {
    "it": "Ha deciso di restare per ora; sa come ricontattarci.",
    "es": "Ha decidido quedarse por ahora; sabe cómo volver a contactarnos.",
    "pt": "Decidiu ficar por agora; sabe como voltar a contactar-nos.",
    "en": "Decided to stay for now; knows how to reach us again.",
}
DUPLICATE_NOTE = {
    "it": "Aveva già scritto dal sito la settimana scorsa.",
    "es": "Ya había escrito desde el sitio la semana pasada.",
    "pt": "Já tinha escrito pelo site na semana passada.",
    "en": "Had already written through the site last week.",
}
