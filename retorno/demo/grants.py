"""Demo economic reintegration aid, built through retorno.grants.actions only: the demo cycle's
grant policy (set by irene.coord, programme coordination), a 40,000 EUR envelope for every
national desk (Lima's split in parts by grant type), and grants in every state, in every
currency the programme pays in. Several are micro-enterprises with a business plan and supplier
quotes (small PDF files); instalments are paid with receipts.

Each desk's caseworker drafts and submits, its coordinator approves (four eyes) and, above the
policy's amount, irene.coord approves too. Running it again changes nothing.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from retorno.accounts.middleware import act_as
from retorno.accounts.models import Organisation, User
from retorno.cases.models import Case, Phase
from retorno.demo.cases import CASEWORKER, COORDINATOR, MARKER
from retorno.grants import actions
from retorno.grants.models import Envelope, Grant, GrantPolicy
from retorno.plans import actions as plan_actions
from retorno.plans.models import Plan, PlanAction
from retorno.programmes.models import Cycle

COORDINATION = "irene.coord"
NATIONAL_DESKS = ("LPZ", "BSB", "SCL", "BOG", "UIO", "ASU", "LIM", "MVD")
ENVELOPE_EUR = Decimal("40000")
# Lima sets parts of its envelope aside per grant type.
LIMA_PARTS = {
    "self_employment": Decimal("15000"),
    "basic_needs": Decimal("8000"),
    "education": Decimal("5000"),
}
CAPS = {
    "basic_needs": Decimal("800"),
    "self_employment": Decimal("2500"),
    "education": Decimal("1200"),
    "housing": Decimal("1000"),
    "health": Decimal("600"),
    "other": Decimal("400"),
}
HOUSEHOLD_CAP = Decimal("3000")
COORDINATION_ABOVE = Decimal("1500")

S = Grant.Status


@dataclass(frozen=True)
class Business:
    activity: str
    startup_costs: str
    monthly_income: str
    monthly_costs: str
    assets: str
    supplier: str
    quote: str  # amount quoted, in the grant's currency
    quote_lines: tuple = ()


@dataclass(frozen=True)
class Demo:
    desk: str
    case: int  # which of the desk's planned demo cases (by reference)
    grant_type: str
    currency: str
    amount: str
    rate: str  # units of the currency one euro buys, for the estimate
    purpose: str
    status: str
    business: Business | None = None
    # Planned instalments as (days from today, share of the amount); paid ones first.
    instalments: tuple = ((-20, 1),)
    paid: int = 0  # how many instalments are paid
    pay_rate: str = ""  # the day's rate of the payments (the grant's rate when empty)
    method: str = "transfer"
    reason: str = ""
    extra: dict = field(default_factory=dict)


COSTURA = Business(
    activity="Taller de costura en casa: arreglos de ropa y confección de uniformes escolares "
    "para los colegios del barrio.",
    startup_costs="Máquina de coser industrial recta 3.900 PEN; remalladora 2.600 PEN; telas, "
    "hilos y avíos para los primeros pedidos 1.400 PEN; mesa de corte 700 PEN.",
    monthly_income="2400",
    monthly_costs="950",
    assets="Una máquina de coser doméstica, experiencia de ocho años en un taller de Milán y un "
    "cuarto con luz en la casa de su hermana.",
    supplier="Máquinas del Sur S.A.C.",
    quote="6500",
    quote_lines=("Máquina de coser industrial recta", "Remalladora de 4 hilos"),
)
BODEGA = Business(
    activity="Bodega de abarrotes en la cochera de la casa familiar, en una calle con paradero "
    "de mototaxis.",
    startup_costs="Anaqueles y vitrina 1.200 PEN; congeladora 1.650 PEN; primer stock de "
    "abarrotes 3.000 PEN; balanza y licencia municipal 600 PEN.",
    monthly_income="3200",
    monthly_costs="2100",
    assets="La cochera de la casa, un mostrador de madera y el apoyo de su madre para atender "
    "por las mañanas.",
    supplier="Distribuidora Comercial Norte E.I.R.L.",
    quote="2850",
    quote_lines=("Congeladora horizontal 300 L", "Anaqueles metálicos (4)"),
)
PANADERIA = Business(
    activity="Panadería artesanal: pan francés y de yema por las mañanas, tortas por encargo "
    "los fines de semana.",
    startup_costs="Horno rotativo pequeño a gas 5.800 PEN; amasadora 2.400 PEN; latas, moldes y "
    "mesa de acero 1.260 PEN.",
    monthly_income="4500",
    monthly_costs="2600",
    assets="Trabajó cinco años como ayudante de panadero en Italia; un local alquilado a medias "
    "con su cuñado.",
    supplier="Equipos Panaderos Lima S.A.",
    quote="8200",
    quote_lines=("Horno rotativo a gas, 8 latas", "Amasadora espiral 25 kg"),
)
CARPINTERIA = Business(
    activity="Carpintería: muebles de melamina a medida y reparaciones para vecinos y "
    "pequeñas tiendas.",
    startup_costs="Sierra circular de mesa 2.100 PEN; taladro, caladora y lijadora 1.300 PEN; "
    "melamina y tapacantos para los primeros encargos 1.760 PEN.",
    monthly_income="2600",
    monthly_costs="1100",
    assets="Herramientas manuales propias y un patio techado en la casa de sus padres.",
    supplier="Ferretería Industrial San Martín S.A.C.",
    quote="3400",
    quote_lines=("Sierra circular de mesa 10 pulgadas", "Kit de herramientas eléctricas"),
)
TEJIDOS = Business(
    activity="Tejidos de lana de alpaca: chompas, chalinas y gorros para tiendas de turistas "
    "de la calle Sagárnaga.",
    startup_costs="Máquina tejedora manual 9.500 BOB; lana de alpaca para tres meses 4.800 BOB; "
    "etiquetas y bolsas 1.500 BOB.",
    monthly_income="5200",
    monthly_costs="2300",
    assets="Sabe tejer desde niña; dos tiendas ya le compraron muestras.",
    supplier="Textiles Andinos S.R.L.",
    quote="9500",
    quote_lines=("Máquina tejedora manual de doble fontura",),
)
SALAO = Business(
    activity="Salão de beleza no bairro: cortes, escova e manicure, com atendimento também em "
    "domicílio.",
    startup_costs="Duas cadeiras hidráulicas e lavatório R$ 5.200; secadores e pranchas "
    "R$ 2.400; produtos para os primeiros meses R$ 3.100; espelhos e bancada R$ 1.700.",
    monthly_income="4800",
    monthly_costs="2200",
    assets="Curso de cabeleireira feito em Lisboa, clientela conhecida no bairro e uma sala na "
    "frente da casa da mãe.",
    supplier="Beleza Pro Equipamentos Ltda.",
    quote="7600",
    quote_lines=("Cadeira hidráulica reclinável (2)", "Lavatório de porcelana com poltrona"),
)
MOTOS = Business(
    activity="Taller de mantenimiento de motos: cambio de aceite, frenos y llantas, cerca de la "
    "estación de TransMilenio.",
    startup_costs="Compresor y herramientas 4.200.000 COP; elevador de motos 2.800.000 COP; "
    "repuestos y aceites para el primer mes 2.400.000 COP.",
    monthly_income="4800000",
    monthly_costs="2600000",
    assets="Trabajó seis años como mecánico en Madrid; un local pequeño prestado por su tío.",
    supplier="Herramientas y Repuestos Andinos S.A.S.",
    quote="7000000",
    quote_lines=("Compresor de aire 50 L", "Elevador hidráulico para motos"),
)
COMIDAS = Business(
    activity="Carrito de comidas: almuerzos y jugos frente al mercado, de lunes a sábado.",
    startup_costs="Carrito de acero inoxidable con plancha 1.250 USD; cocina industrial y "
    "cilindros 420 USD; menaje y permiso municipal 400 USD.",
    monthly_income="1400",
    monthly_costs="750",
    assets="Recetas de la familia y experiencia como cocinera en restaurantes de Milán.",
    supplier="Metálicas Pichincha Cía. Ltda.",
    quote="1250",
    quote_lines=("Carrito de acero inoxidable con plancha",),
)
LAVADERO = Business(
    activity="Lavadero de autos y motos con aspirado, en el terreno de la familia sobre la ruta 8.",
    startup_costs="Hidrolavadora profesional 28.000 UYU; aspiradora industrial 14.000 UYU; "
    "techo de chapa y desagüe 20.000 UYU; productos 7.000 UYU.",
    monthly_income="52000",
    monthly_costs="21000",
    assets="El terreno de la familia con conexión de agua y luz; un primo que ayuda los fines "
    "de semana.",
    supplier="Hidrotec Uruguay S.A.",
    quote="42000",
    quote_lines=("Hidrolavadora profesional trifásica", "Aspiradora industrial 80 L"),
)

GRANTS = [
    # Lima: every state.
    Demo(
        "LIM",
        0,
        "self_employment",
        "PEN",
        "8600",
        "4.3",
        "Taller de costura en casa",
        S.PAYING,
        COSTURA,
        ((-25, Decimal("0.5")), (20, Decimal("0.5"))),
        paid=1,
        pay_rate="4.34",
        method="in_kind",
    ),
    Demo(
        "LIM",
        0,
        "basic_needs",
        "EUR",
        "750",
        "1",
        "Alquiler y alimentación de los dos primeros meses tras la llegada",
        S.APPROVED,
        instalments=((10, 1),),
    ),
    Demo(
        "LIM",
        1,
        "self_employment",
        "PEN",
        "6450",
        "4.3",
        "Bodega de abarrotes en la cochera",
        S.PAID,
        BODEGA,
        ((-60, Decimal("0.4")), (-35, Decimal("0.3")), (-10, Decimal("0.3"))),
        paid=3,
        pay_rate="4.28",
        method="in_kind",
    ),
    Demo(
        "LIM",
        1,
        "basic_needs",
        "PEN",
        "2150",
        "4.3",
        "Canasta básica y útiles de limpieza del primer mes",
        S.PAID,
        instalments=((-40, 1),),
        paid=1,
        pay_rate="4.31",
        method="voucher",
    ),
    Demo(
        "LIM",
        2,
        "self_employment",
        "PEN",
        "9460",
        "4.3",
        "Panadería artesanal en el barrio",
        S.COORDINATION,
        PANADERIA,
    ),
    Demo(
        "LIM",
        3,
        "basic_needs",
        "PEN",
        "2580",
        "4.3",
        "Alimentación y transporte del primer mes",
        S.SUBMITTED,
    ),
    Demo(
        "LIM",
        4,
        "education",
        "PEN",
        "3010",
        "4.3",
        "Curso técnico de electricidad domiciliaria en SENATI",
        S.DRAFT,
    ),
    Demo(
        "LIM",
        5,
        "housing",
        "EUR",
        "900",
        "1",
        "Garantía y tres meses de alquiler de un cuarto",
        S.REJECTED,
        reason="Vive con su familia sin pagar alquiler: se propone ayuda para alimentación.",
    ),
    Demo(
        "LIM",
        6,
        "health",
        "PEN",
        "2150",
        "4.3",
        "Prótesis dental y controles",
        S.CANCELLED,
        reason="El seguro integral de salud cubre el tratamiento completo.",
    ),
    Demo(
        "LIM",
        7,
        "self_employment",
        "PEN",
        "5160",
        "4.3",
        "Carpintería de melamina a medida",
        S.CLOSED,
        CARPINTERIA,
        ((-30, Decimal("0.5")), (15, Decimal("0.5"))),
        paid=1,
        pay_rate="4.27",
        method="in_kind",
        reason="Consiguió un empleo estable en una fábrica de muebles y deja el taller.",
    ),
    # The other national desks, each in its own currency.
    Demo(
        "LPZ",
        0,
        "self_employment",
        "BOB",
        "15800",
        "7.9",
        "Tejidos de alpaca para tiendas de turistas",
        S.PAYING,
        TEJIDOS,
        ((-15, Decimal("0.6")), (-3, Decimal("0.4"))),
        paid=1,
        pay_rate="7.95",
        method="in_kind",
    ),
    Demo(
        "LPZ",
        0,
        "health",
        "BOB",
        "3160",
        "7.9",
        "Lentes y control oftalmológico para la hija",
        S.SUBMITTED,
    ),
    Demo(
        "BSB",
        0,
        "self_employment",
        "BRL",
        "12400",
        "6.2",
        "Salão de beleza no bairro",
        S.COORDINATION,
        SALAO,
    ),
    Demo(
        "BSB",
        1,
        "education",
        "BRL",
        "4960",
        "6.2",
        "Curso técnico de enfermagem (primeiro semestre)",
        S.PAID,
        instalments=((-45, Decimal("0.5")), (-12, Decimal("0.5"))),
        paid=2,
        pay_rate="6.15",
    ),
    Demo(
        "SCL",
        0,
        "basic_needs",
        "CLP",
        "648000",
        "1080",
        "Arriendo y alimentación del primer mes",
        S.PAID,
        instalments=((-50, Decimal("0.5")), (-20, Decimal("0.5"))),
        paid=2,
        pay_rate="1085",
        method="transfer",
    ),
    Demo(
        "SCL",
        1,
        "housing",
        "CLP",
        "1026000",
        "1080",
        "Garantía y primer mes de arriendo de un departamento",
        S.APPROVED,
        instalments=((7, 1),),
    ),
    Demo(
        "BOG",
        0,
        "self_employment",
        "COP",
        "9400000",
        "4700",
        "Taller de mantenimiento de motos",
        S.PAID,
        MOTOS,
        ((-70, Decimal("0.7")), (-30, Decimal("0.3"))),
        paid=2,
        pay_rate="4690",
        method="in_kind",
    ),
    Demo(
        "BOG",
        1,
        "health",
        "COP",
        "2585000",
        "4700",
        "Terapia física después de una fractura",
        S.REJECTED,
        reason="La EPS cubre la terapia: se acompaña la solicitud de la cita.",
    ),
    Demo(
        "UIO",
        0,
        "self_employment",
        "USD",
        "2070",
        "1.15",
        "Carrito de comidas frente al mercado",
        S.PAID,
        COMIDAS,
        ((-40, 1),),
        paid=1,
        pay_rate="1.16",
        method="in_kind",
    ),
    Demo(
        "UIO",
        1,
        "basic_needs",
        "USD",
        "690",
        "1.15",
        "Alimentación y transporte de los dos primeros meses",
        S.PAYING,
        instalments=((-8, Decimal("0.5")), (22, Decimal("0.5"))),
        paid=1,
        pay_rate="1.14",
        method="cash",
    ),
    Demo(
        "UIO",
        2,
        "other",
        "EUR",
        "300",
        "1",
        "Trámite de homologación del título de bachiller",
        S.DRAFT,
    ),
    Demo(
        "ASU",
        0,
        "basic_needs",
        "PYG",
        "5160000",
        "8600",
        "Alimentación y alquiler del primer mes",
        S.PAID,
        instalments=((-30, 1),),
        paid=1,
        pay_rate="8640",
        method="voucher",
    ),
    Demo(
        "ASU",
        0,
        "education",
        "PYG",
        "8600000",
        "8600",
        "Curso de soldadura en el SNPP",
        S.CANCELLED,
        reason="El curso pasó a ser gratuito este semestre.",
    ),
    Demo(
        "MVD",
        0,
        "self_employment",
        "UYU",
        "69000",
        "46",
        "Lavadero de autos sobre la ruta 8",
        S.APPROVED,
        LAVADERO,
        ((5, Decimal("0.6")), (40, Decimal("0.4"))),
    ),
    Demo(
        "MVD",
        0,
        "basic_needs",
        "UYU",
        "27600",
        "46",
        "Alimentación del primer mes",
        S.SUBMITTED,
    ),
]


def pdf_document(title: str, lines=()) -> bytes:
    """A small, valid one-page PDF with a title and a few lines of text."""

    def text(value: str) -> bytes:
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return escaped.encode("cp1252", errors="replace")

    content = b"BT /F1 16 Tf 56 780 Td (" + text(title) + b") Tj ET"
    for n, line in enumerate(lines):
        content += b"\nBT /F1 11 Tf 56 %d Td (" % (750 - 18 * n) + text(line) + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _file(name: str, title: str, lines=()) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_document(title, lines), content_type="application/pdf")


def _words(demo: Demo) -> tuple[str, str]:
    """The titles of a quote and of a receipt, in Portuguese at Brasília, Spanish elsewhere."""
    if demo.desk == "BSB":
        return "Orçamento", "Recibo - parcela"
    return "Cotización", "Recibo - cuota"


def _user(username: str, desk: str) -> User:
    return act_as(User.objects.get(username=username), desk)


def demo_grants_exist() -> bool:
    return Grant.objects.filter(case__person__desk_reference__startswith=MARKER).exists()


def _cases_with_plans(cycle) -> dict[str, list[Case]]:
    """Each national desk's open demo cases with an approved plan, by reference; a plan is
    made (through plans' actions) for a desk that has none, such as Montevideo."""
    found: dict[str, list[Case]] = {}
    for desk in NATIONAL_DESKS:
        cases = list(
            Case.objects.filter(
                owning_desk__code=desk,
                cycle=cycle,
                person__desk_reference__startswith=MARKER,
                plans__status=Plan.Status.APPROVED,
            )
            .exclude(phase=Phase.CLOSED)
            .distinct()
            .order_by("reference")
        )
        if not cases:
            case = (
                Case.objects.filter(
                    owning_desk__code=desk, cycle=cycle, person__desk_reference__startswith=MARKER
                )
                .exclude(phase=Phase.CLOSED)
                .order_by("reference")
                .first()
            )
            if case is not None:
                _economic_plan(case, desk)
                cases = [case]
        found[desk] = cases
    return found


def _economic_plan(case: Case, desk: str) -> None:
    writer = _user(CASEWORKER[desk], desk)
    approver = _user(COORDINATOR[desk], desk)
    plan = plan_actions.draft_plan(
        case, actor=writer, summary="Volver a trabajar por cuenta propia cerca de la familia."
    )
    goal = plan_actions.add_goal(
        plan,
        actor=writer,
        dimension="economic",
        description="Abrir un pequeño negocio propio en los primeros seis meses.",
    )
    plan_actions.add_action(
        goal,
        actor=writer,
        description="Solicitar el apoyo económico para el negocio y comprar el equipo",
        responsible="desk",
        due_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    plan_actions.submit_plan(plan, actor=writer)
    plan_actions.approve_plan(plan, actor=approver)


def _economic_action(case: Case) -> PlanAction:
    return (
        PlanAction.objects.filter(
            goal__plan__case=case,
            goal__plan__status=Plan.Status.APPROVED,
            goal__dimension="economic",
        )
        .exclude(status=PlanAction.Status.CANCELLED)
        .order_by("-goal__plan__number", "position", "pk")
        .first()
    )


def ensure_policy_and_envelopes(cycle) -> None:
    irene = _user(COORDINATION, "COORD")
    if not GrantPolicy.objects.filter(cycle=cycle).exists():
        actions.save_policy(
            cycle,
            actor=irene,
            household_cap_eur=HOUSEHOLD_CAP,
            coordination_threshold_eur=COORDINATION_ABOVE,
            receipts_before_next=True,
            caps=CAPS,
        )
    desks = Organisation.objects.filter(code__in=NATIONAL_DESKS)
    for desk in desks.order_by("code"):
        if not Envelope.objects.filter(cycle=cycle, desk=desk, grant_type="").exists():
            actions.set_envelope(cycle, desk, actor=irene, amount_eur=ENVELOPE_EUR)
        if desk.code == "LIM":
            for grant_type, amount in LIMA_PARTS.items():
                if not Envelope.objects.filter(cycle=cycle, desk=desk, grant_type=grant_type):
                    actions.set_envelope(
                        cycle, desk, actor=irene, amount_eur=amount, grant_type=grant_type
                    )


@transaction.atomic
def ensure_demo_grants() -> int:
    """Build the demo grants once; running it again changes nothing. Returns how many."""
    cycle = Cycle.objects.filter(programme__code="RETORNO", name="2026").first()
    if cycle is None:
        return 0
    ensure_policy_and_envelopes(cycle)
    if demo_grants_exist():
        return 0
    cases = _cases_with_plans(cycle)
    today = timezone.localdate()
    made = 0
    for n, demo in enumerate(GRANTS):
        desk_cases = cases.get(demo.desk) or []
        if not desk_cases:
            continue
        case = desk_cases[demo.case % len(desk_cases)]
        _make(demo, case, today, n)
        made += 1
    return made


def _make(demo: Demo, case: Case, today, n: int) -> Grant:
    worker = _user(CASEWORKER[demo.desk], demo.desk)
    coordinator = _user(COORDINATOR[demo.desk], demo.desk)
    business = demo.business
    fields = {}
    if business is not None:
        fields = {
            "business_activity": business.activity,
            "business_startup_costs": business.startup_costs,
            "business_monthly_income": Decimal(business.monthly_income),
            "business_monthly_costs": Decimal(business.monthly_costs),
            "business_assets": business.assets,
        }
    grant = actions.draft_grant(
        _economic_action(case),
        actor=worker,
        grant_type=demo.grant_type,
        currency=demo.currency,
        amount=Decimal(demo.amount),
        rate=Decimal(demo.rate) if demo.currency != "EUR" else None,
        purpose=demo.purpose,
        **fields,
    )
    if business is not None:
        actions.add_quote(
            grant,
            actor=worker,
            uploaded_file=_file(
                f"cotizacion-{n + 1:02d}.pdf",
                f"{business.supplier} - {_words(demo)[0]}",
                [*business.quote_lines, f"Total: {business.quote} {demo.currency}"],
            ),
            supplier=business.supplier,
            amount=Decimal(business.quote),
        )
    if demo.status == S.DRAFT:
        return grant
    actions.submit_grant(grant, actor=worker)
    if demo.status == S.SUBMITTED:
        return grant
    if demo.status == S.REJECTED:
        return actions.reject_grant(grant, actor=coordinator, reason=demo.reason)
    actions.approve_grant(grant, actor=coordinator, note="Revisado con la persona.")
    if grant.status == S.COORDINATION:
        if demo.status == S.COORDINATION:
            return grant
        actions.approve_grant(grant, actor=_user(COORDINATION, "COORD"))
    if demo.status == S.CANCELLED:
        return actions.cancel_grant(grant, actor=coordinator, reason=demo.reason)
    amount = Decimal(demo.amount)
    planned = []
    left = amount
    for k, (days, share) in enumerate(demo.instalments):
        last = k == len(demo.instalments) - 1
        part = left if last else (amount * Decimal(share)).quantize(Decimal(1))
        left -= part
        planned.append((today + datetime.timedelta(days=days), part))
    actions.plan_instalments(grant, actor=worker, instalments=planned)
    for instalment in grant.instalments.order_by("number")[: demo.paid]:
        actions.record_payment(
            instalment,
            actor=worker,
            paid_on=min(instalment.planned_on, today),
            amount=instalment.planned_amount,
            rate=Decimal(demo.pay_rate or demo.rate),
            method=demo.method,
            receipt_file=_file(
                f"recibo-{n + 1:02d}-{instalment.number}.pdf",
                f"{_words(demo)[1]} {instalment.number}",
                [demo.purpose, f"{instalment.planned_amount} {demo.currency}"],
            ),
        )
    if demo.status == S.CLOSED:
        grant.refresh_from_db()
        return actions.close_grant(grant, actor=coordinator, reason=demo.reason)
    grant.refresh_from_db()
    return grant
