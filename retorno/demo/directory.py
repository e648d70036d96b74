"""The demo's directory of services: 9 to 12 services in each of the eight countries of return,
built through the real actions by each national desk's coordinator.

Public programmes are modelled on the kind each country runs (national employment services,
vocational training institutes, returnee reintegration strategies); where a name is invented
it says so by being plain. No contact detail is real: emails are @example.org, phone numbers
are in the 555 01xx range. Every country has a shelter for survivors of gender-based violence
that is not shown to the public and has no street address. The Lima training centre's services
are linked to the partner CFPLIM, whose users answer referrals on Retorno.

Idempotent: an organisation, location or service that exists (by name) is left as it is.
"""

from dataclasses import dataclass, field

from django.db import transaction

from retorno.accounts.middleware import act_as
from retorno.accounts.models import Membership
from retorno.accounts.roles import Role
from retorno.directory import actions
from retorno.directory import models as directory
from retorno.directory.models import Location, Service
from retorno.directory.models import ServiceType as T
from retorno.lib.text import normalise_text

K = directory.Organization.Kind
WEEKDAYS = "MO,TU,WE,TH,FR"


@dataclass
class Svc:
    name: str
    service_type: str
    description: str
    eligibility: str = ""
    apply: str = ""
    fees: str = ""
    program: str = ""
    languages: tuple = ()
    english: str = ""
    not_public: bool = False
    min_age: int | None = None
    max_age: int | None = None


@dataclass
class Org:
    name: str
    kind: str
    description: str
    alternate_name: str = ""
    retorno: str = ""
    programs: list = field(default_factory=list)  # (name, alternate name, description)
    services: list = field(default_factory=list)
    city: str = ""
    address: str = "Av. Principal 100"
    hidden_place: bool = False
    hours: tuple = (WEEKDAYS, "08:30", "16:30")


@dataclass
class Country:
    code: str
    desk: str
    language: str
    city: str
    region: str
    phone: str  # a format with {n} for two digits
    orgs: list


FREE = {"es": "Gratuito.", "pt": "Gratuito."}
ID_DOC = {
    "es": "Documento de identidad y, si lo tiene, constancia de retorno.",
    "pt": "Documento de identidade e, se tiver, comprovante de retorno.",
}


def _shelter(country_language: str, city: str, name: str) -> Org:
    es = country_language == "es"
    return Org(
        name=name,
        kind=K.NGO,
        city=city,
        address="",
        hidden_place=True,
        description=(
            "Acompaña a mujeres sobrevivientes de violencia de género y de trata."
            if es
            else "Acompanha mulheres sobreviventes de violência de gênero e de tráfico de pessoas."
        ),
        services=[
            Svc(
                "Casa de acogida temporal" if es else "Casa de acolhimento temporário",
                T.GBV_TRAFFICKING,
                (
                    "Alojamiento seguro, acompañamiento psicológico y legal para sobrevivientes "
                    "de violencia de género y de trata, y para sus hijos."
                    if es
                    else "Acolhimento seguro, apoio psicológico e jurídico para sobreviventes de "
                    "violência de gênero e de tráfico de pessoas, e para os filhos."
                ),
                eligibility=(
                    "Mujeres sobrevivientes de violencia de género o de trata, con sus hijos."
                    if es
                    else "Mulheres sobreviventes de violência de gênero ou de tráfico, e filhos."
                ),
                apply=(
                    "Solo por derivación de la oficina nacional; la dirección se comunica a la "
                    "persona, nunca por escrito."
                    if es
                    else "Somente por encaminhamento do escritório nacional; o endereço é dito à "
                    "pessoa, nunca por escrito."
                ),
                fees=FREE[country_language],
                languages=(country_language,),
                not_public=True,
                english="A safe shelter with psychological and legal support for survivors of "
                "gender-based violence and trafficking, and their children.",
            )
        ],
    )


PERU = Country(
    "PE",
    "LIM",
    "es",
    "Lima",
    "Lima",
    "01 555 01{n}",
    [
        Org(
            "Ministerio de Trabajo y Promoción del Empleo",
            K.PUBLIC_AGENCY,
            "Servicios públicos de empleo, capacitación y certificación de competencias.",
            alternate_name="MTPE",
            city="Lima",
            programs=[
                (
                    "Programa Trabaja Perú",
                    "",
                    "Programa nacional de empleo temporal y de inserción laboral.",
                )
            ],
            services=[
                Svc(
                    "Bolsa de trabajo del Centro de Empleo",
                    T.JOB_PLACEMENT,
                    "Orientación laboral, bolsa de trabajo y talleres para buscar empleo.",
                    eligibility="Personas mayores de 18 años que buscan empleo.",
                    apply="Registro presencial con documento de identidad.",
                    fees="Gratuito.",
                    program="Programa Trabaja Perú",
                    languages=("es", "qu"),
                    english="Job counselling, vacancies and job-search workshops.",
                    min_age=18,
                ),
                Svc(
                    "Certificación de competencias laborales",
                    T.EDUCATION,
                    "Certifica lo que la persona sabe hacer, también lo aprendido en el "
                    "extranjero, tras una evaluación práctica.",
                    apply="Solicitud en el Centro de Empleo.",
                    fees="Gratuito para personas retornadas.",
                    languages=("es",),
                    english="Certifies skills learnt on the job, including abroad.",
                ),
            ],
        ),
        Org(
            "Oficina de Reintegración de Peruanos Retornados",
            K.PUBLIC_AGENCY,
            "Oficina pública que aplica la estrategia nacional de reintegración.",
            city="Lima",
            programs=[
                (
                    "Estrategia de Reintegración para Peruanos Retornados",
                    "",
                    "Política pública de acogida e integración de quienes vuelven al país.",
                )
            ],
            services=[
                Svc(
                    "Orientación al retornado",
                    T.RECEPTION,
                    "Primera acogida: información sobre trámites, salud, trabajo y beneficios.",
                    apply="Sin cita, de lunes a viernes.",
                    fees="Gratuito.",
                    program="Estrategia de Reintegración para Peruanos Retornados",
                    languages=("es", "qu", "en"),
                    english="First reception: paperwork, health, work and benefits.",
                ),
                Svc(
                    "Beneficios tributarios de la Ley del Retorno",
                    T.SOCIAL_PROTECTION,
                    "Exoneración de impuestos para traer enseres, herramientas y un vehículo.",
                    eligibility="Peruanos que vivieron al menos tres años en el extranjero.",
                    program="Estrategia de Reintegración para Peruanos Retornados",
                    languages=("es",),
                ),
            ],
        ),
        Org(
            "Centro de Formación Profesional Lima",
            K.TRAINING_CENTRE,
            "Cursos cortos de formación técnica con prácticas en empresas.",
            retorno="CFPLIM",
            city="Lima",
            services=[
                Svc(
                    "Curso de costura industrial",
                    T.VOCATIONAL_TRAINING,
                    "Curso de tres meses de confección textil con máquinas industriales.",
                    eligibility="Mayores de 18 años, sin estudios previos.",
                    apply="Por derivación de la oficina nacional de Lima.",
                    fees="Gratuito con beca del programa.",
                    languages=("es",),
                    english="Three-month course in industrial sewing.",
                    min_age=18,
                ),
                Svc(
                    "Curso de cocina y panadería",
                    T.VOCATIONAL_TRAINING,
                    "Formación práctica en cocina peruana y panadería, con certificado.",
                    apply="Por derivación de la oficina nacional de Lima.",
                    fees="Gratuito con beca del programa.",
                    languages=("es",),
                    english="Practical training in cooking and baking, with a certificate.",
                    min_age=18,
                ),
            ],
        ),
        Org(
            "Centro de Salud Mental Comunitario Lima",
            K.PUBLIC_AGENCY,
            "Atención de salud mental en la comunidad.",
            retorno="PSILIM",
            city="Lima",
            services=[
                Svc(
                    "Atención psicológica para personas retornadas",
                    T.PSYCHOSOCIAL,
                    "Consultas individuales y grupos de apoyo para el duelo migratorio.",
                    fees="Gratuito.",
                    languages=("es", "qu"),
                    english="Individual counselling and support groups after migration.",
                )
            ],
        ),
        Org(
            "Ministerio de la Producción",
            K.PUBLIC_AGENCY,
            "Apoyo a la micro y pequeña empresa.",
            alternate_name="PRODUCE",
            city="Lima",
            programs=[("Programa Impulsa Emprendimiento", "", "Capital semilla y asesoría.")],
            services=[
                Svc(
                    "Capital semilla para emprendimientos de retornados",
                    T.SELF_EMPLOYMENT,
                    "Asesoría para el plan de negocio y capital semilla por concurso.",
                    program="Programa Impulsa Emprendimiento",
                    languages=("es",),
                )
            ],
        ),
        Org(
            "Asociación Asesoría Legal Migrante",
            K.NGO,
            "Asesoría jurídica gratuita para personas migrantes y retornadas.",
            city="Lima",
            services=[
                Svc(
                    "Asesoría legal y trámite de documentos",
                    T.LEGAL,
                    "Ayuda para obtener el DNI, inscribir a los hijos nacidos en el extranjero "
                    "y reconocer documentos.",
                    fees="Gratuito.",
                    languages=("es", "it"),
                )
            ],
        ),
        Org(
            "Unidad de Gestión Educativa Local Lima",
            K.PUBLIC_AGENCY,
            "Matrícula y convalidación de estudios escolares.",
            alternate_name="UGEL",
            city="Lima",
            services=[
                Svc(
                    "Matrícula escolar de hijos de retornados",
                    T.CHILDREN,
                    "Matrícula en colegios públicos y convalidación de estudios hechos fuera.",
                    languages=("es",),
                    max_age=17,
                )
            ],
        ),
        _shelter("es", "Lima", "Casa Refugio Warmi"),
    ],
)

BOLIVIA = Country(
    "BO",
    "LPZ",
    "es",
    "La Paz",
    "La Paz",
    "2 255 01{n}",
    [
        Org(
            "Servicio Plurinacional de Empleo",
            K.PUBLIC_AGENCY,
            "Servicio público de intermediación laboral.",
            city="La Paz",
            programs=[("Plan de Empleo para Retornados", "", "Inserción laboral de retornados.")],
            services=[
                Svc(
                    "Intermediación laboral",
                    T.JOB_PLACEMENT,
                    "Registro de la hoja de vida y envío a ofertas de empleo.",
                    program="Plan de Empleo para Retornados",
                    languages=("es", "ay", "qu"),
                    fees="Gratuito.",
                ),
                Svc(
                    "Apoyo al emprendimiento",
                    T.SELF_EMPLOYMENT,
                    "Asesoría y microcrédito para iniciar un pequeño negocio.",
                    program="Plan de Empleo para Retornados",
                    languages=("es", "ay"),
                ),
            ],
        ),
        Org(
            "Instituto Técnico de Formación Andina",
            K.TRAINING_CENTRE,
            "Formación técnica en oficios.",
            city="El Alto",
            services=[
                Svc(
                    "Curso de mecánica automotriz",
                    T.VOCATIONAL_TRAINING,
                    "Formación técnica de seis meses con prácticas.",
                    languages=("es", "ay"),
                )
            ],
        ),
        Org(
            "Dirección General de Migración – Ventanilla del Retorno",
            K.PUBLIC_AGENCY,
            "Atención a bolivianos que regresan.",
            city="La Paz",
            services=[
                Svc(
                    "Acogida y orientación al retorno",
                    T.RECEPTION,
                    "Información sobre documentos, salud y trabajo al llegar.",
                    languages=("es", "ay", "qu"),
                ),
                Svc(
                    "Renovación de documentos de identidad",
                    T.LEGAL,
                    "Orientación para renovar la cédula y registrar a los hijos.",
                    languages=("es",),
                ),
            ],
        ),
        Org(
            "Sistema Único de Salud – Centro de Salud Sopocachi",
            K.PUBLIC_AGENCY,
            "Atención primaria de salud.",
            city="La Paz",
            services=[
                Svc(
                    "Afiliación al Sistema Único de Salud",
                    T.HEALTH,
                    "Atención médica gratuita en la red pública.",
                    fees="Gratuito.",
                    languages=("es", "ay"),
                ),
                Svc(
                    "Salud mental comunitaria",
                    T.PSYCHOSOCIAL,
                    "Apoyo psicológico individual y en grupo.",
                    languages=("es",),
                ),
            ],
        ),
        Org(
            "Fundación Vivienda Digna",
            K.NGO,
            "Apoyo para vivienda de familias vulnerables.",
            city="La Paz",
            services=[
                Svc(
                    "Alquiler social de emergencia",
                    T.HOUSING,
                    "Ayuda temporal para el alquiler durante los primeros meses.",
                    languages=("es",),
                )
            ],
        ),
        _shelter("es", "La Paz", "Casa de la Mujer Illimani"),
    ],
)

BRAZIL = Country(
    "BR",
    "BSB",
    "pt",
    "Brasília",
    "Distrito Federal",
    "61 5555 01{n}",
    [
        Org(
            "Serviço Nacional de Aprendizagem Industrial",
            K.TRAINING_CENTRE,
            "Cursos técnicos e de qualificação profissional para a indústria.",
            alternate_name="SENAI",
            city="Brasília",
            services=[
                Svc(
                    "Curso de eletricista predial",
                    T.VOCATIONAL_TRAINING,
                    "Qualificação profissional de 160 horas com certificado.",
                    languages=("pt",),
                    english="A 160-hour electrician course with a certificate.",
                ),
                Svc(
                    "Curso de soldador",
                    T.VOCATIONAL_TRAINING,
                    "Qualificação profissional em solda com aulas práticas.",
                    languages=("pt",),
                ),
            ],
        ),
        Org(
            "Sistema Nacional de Emprego – Agência do Trabalhador",
            K.PUBLIC_AGENCY,
            "Intermediação de mão de obra e seguro-desemprego.",
            alternate_name="SINE",
            city="Brasília",
            services=[
                Svc(
                    "Intermediação de emprego",
                    T.JOB_PLACEMENT,
                    "Cadastro, vagas de emprego e encaminhamento a entrevistas.",
                    fees="Gratuito.",
                    languages=("pt", "es"),
                )
            ],
        ),
        Org(
            "Centro de Referência de Assistência Social",
            K.PUBLIC_AGENCY,
            "Porta de entrada da assistência social.",
            alternate_name="CRAS",
            city="Brasília",
            programs=[
                (
                    "Cadastro Único para Programas Sociais",
                    "CadÚnico",
                    "Registro que dá acesso aos programas sociais do governo federal.",
                )
            ],
            services=[
                Svc(
                    "Inscrição no Cadastro Único",
                    T.SOCIAL_PROTECTION,
                    "Inscrição para acesso a benefícios sociais e transferência de renda.",
                    program="Cadastro Único para Programas Sociais",
                    languages=("pt",),
                ),
                Svc(
                    "Acolhida e orientação a brasileiros retornados",
                    T.RECEPTION,
                    "Primeiro atendimento, orientação sobre documentos e serviços.",
                    languages=("pt", "es", "it"),
                ),
            ],
        ),
        Org(
            "Unidade Básica de Saúde 1 da Asa Sul",
            K.PUBLIC_AGENCY,
            "Atenção primária do Sistema Único de Saúde.",
            city="Brasília",
            services=[
                Svc(
                    "Cartão do SUS e atendimento básico",
                    T.HEALTH,
                    "Emissão do Cartão Nacional de Saúde e consultas.",
                    fees="Gratuito.",
                    languages=("pt",),
                )
            ],
        ),
        Org(
            "Serviço Brasileiro de Apoio às Micro e Pequenas Empresas",
            K.PRIVATE_COMPANY,
            "Apoio a microempreendedores.",
            alternate_name="SEBRAE",
            city="Brasília",
            services=[
                Svc(
                    "Orientação para abrir um negócio",
                    T.SELF_EMPLOYMENT,
                    "Consultoria para formalizar-se como microempreendedor individual.",
                    languages=("pt",),
                )
            ],
        ),
        Org(
            "Defensoria Pública – Núcleo de Migrantes",
            K.PUBLIC_AGENCY,
            "Assistência jurídica gratuita.",
            city="Brasília",
            services=[
                Svc(
                    "Assistência jurídica e documentos",
                    T.LEGAL,
                    "Orientação jurídica, segunda via de documentos e registro de filhos.",
                    languages=("pt", "es"),
                )
            ],
        ),
        _shelter("pt", "Brasília", "Casa Abrigo Flor do Cerrado"),
    ],
)

CHILE = Country(
    "CL",
    "SCL",
    "es",
    "Santiago",
    "Región Metropolitana",
    "2 2555 01{n}",
    [
        Org(
            "Oficina Municipal de Información Laboral",
            K.PUBLIC_AGENCY,
            "Intermediación laboral municipal.",
            alternate_name="OMIL",
            city="Santiago",
            services=[
                Svc(
                    "Búsqueda de empleo",
                    T.JOB_PLACEMENT,
                    "Orientación laboral y ofertas de empleo de la comuna.",
                    languages=("es",),
                )
            ],
        ),
        Org(
            "Servicio Nacional de Capacitación y Empleo",
            K.PUBLIC_AGENCY,
            "Capacitación y certificación laboral.",
            alternate_name="SENCE",
            city="Santiago",
            programs=[("Programa Despega Chile", "", "Becas de capacitación en oficios.")],
            services=[
                Svc(
                    "Becas de capacitación en oficios",
                    T.VOCATIONAL_TRAINING,
                    "Cursos gratuitos en oficios con subsidio de movilización.",
                    program="Programa Despega Chile",
                    languages=("es",),
                ),
                Svc(
                    "Certificación de competencias laborales",
                    T.EDUCATION,
                    "Reconocimiento de la experiencia laboral, también la adquirida fuera.",
                    languages=("es",),
                ),
            ],
        ),
        Org(
            "Fondo de Solidaridad e Inversión Social",
            K.PUBLIC_AGENCY,
            "Programas de emprendimiento para personas vulnerables.",
            alternate_name="FOSIS",
            city="Santiago",
            services=[
                Svc(
                    "Apoyo a tu emprendimiento",
                    T.SELF_EMPLOYMENT,
                    "Capacitación y financiamiento para iniciar un negocio.",
                    languages=("es",),
                )
            ],
        ),
        Org(
            "Centro de Salud Familiar Santiago Centro",
            K.PUBLIC_AGENCY,
            "Atención primaria de salud.",
            alternate_name="CESFAM",
            city="Santiago",
            services=[
                Svc(
                    "Inscripción en FONASA y atención primaria",
                    T.HEALTH,
                    "Inscripción en el seguro público y consultas.",
                    languages=("es",),
                ),
                Svc(
                    "Programa de apoyo psicosocial",
                    T.PSYCHOSOCIAL,
                    "Atención psicológica breve y talleres grupales.",
                    languages=("es",),
                ),
            ],
        ),
        Org(
            "Corporación de Asistencia Judicial",
            K.PUBLIC_AGENCY,
            "Asesoría jurídica gratuita.",
            city="Santiago",
            services=[
                Svc(
                    "Orientación jurídica gratuita",
                    T.LEGAL,
                    "Asesoría en familia, trabajo y documentos.",
                    languages=("es",),
                )
            ],
        ),
        Org(
            "Servicio de Vivienda y Urbanización",
            K.PUBLIC_AGENCY,
            "Subsidios habitacionales.",
            alternate_name="SERVIU",
            city="Santiago",
            services=[
                Svc(
                    "Subsidio de arriendo",
                    T.HOUSING,
                    "Aporte mensual para pagar el arriendo durante tres años.",
                    languages=("es",),
                )
            ],
        ),
        _shelter("es", "Santiago", "Casa de Acogida Alerce"),
    ],
)

COLOMBIA = Country(
    "CO",
    "BOG",
    "es",
    "Bogotá",
    "Cundinamarca",
    "601 555 01{n}",
    [
        Org(
            "Servicio Nacional de Aprendizaje",
            K.TRAINING_CENTRE,
            "Formación técnica y tecnológica gratuita.",
            alternate_name="SENA",
            city="Bogotá",
            services=[
                Svc(
                    "Formación técnica gratuita",
                    T.VOCATIONAL_TRAINING,
                    "Programas técnicos presenciales y virtuales.",
                    fees="Gratuito.",
                    languages=("es",),
                    english="Free technical training, in class or online.",
                ),
                Svc(
                    "Certificación de competencias laborales",
                    T.EDUCATION,
                    "Evaluación y certificación de la experiencia laboral.",
                    languages=("es",),
                ),
            ],
        ),
        Org(
            "Agencia de Empleo Bogotá",
            K.PUBLIC_AGENCY,
            "Agencia pública de gestión y colocación de empleo.",
            retorno="EMPBOG",
            city="Bogotá",
            programs=[
                (
                    "Ruta de Atención al Retorno",
                    "",
                    "Política de acompañamiento a colombianos retornados.",
                )
            ],
            services=[
                Svc(
                    "Ruta de empleo para retornados",
                    T.JOB_PLACEMENT,
                    "Orientación, registro de hoja de vida y remisión a vacantes.",
                    program="Ruta de Atención al Retorno",
                    languages=("es", "en"),
                ),
                Svc(
                    "Emprendimiento para retornados",
                    T.SELF_EMPLOYMENT,
                    "Asesoría en plan de negocio y acceso a capital semilla.",
                    program="Ruta de Atención al Retorno",
                    languages=("es",),
                ),
            ],
        ),
        Org(
            "Consultorio Jurídico Bogotá",
            K.NGO,
            "Consultorio jurídico gratuito.",
            retorno="LEGBOG",
            city="Bogotá",
            services=[
                Svc(
                    "Asesoría jurídica y documentos",
                    T.LEGAL,
                    "Trámite de cédula, registro civil de los hijos y reconocimiento de "
                    "documentos extranjeros.",
                    fees="Gratuito.",
                    languages=("es",),
                )
            ],
        ),
        Org(
            "Centro de Atención al Migrante Retornado",
            K.PUBLIC_AGENCY,
            "Primera acogida de colombianos que regresan.",
            city="Bogotá",
            services=[
                Svc(
                    "Acogida y ayuda humanitaria de emergencia",
                    T.RECEPTION,
                    "Alojamiento y alimentación de emergencia durante los primeros días.",
                    languages=("es",),
                )
            ],
        ),
        Org(
            "Subred Integrada de Servicios de Salud Centro Oriente",
            K.PUBLIC_AGENCY,
            "Red pública de salud.",
            city="Bogotá",
            services=[
                Svc(
                    "Afiliación al régimen subsidiado de salud",
                    T.HEALTH,
                    "Afiliación y atención en la red pública.",
                    languages=("es",),
                ),
                Svc(
                    "Apoyo psicosocial",
                    T.PSYCHOSOCIAL,
                    "Atención psicológica y grupos de apoyo.",
                    languages=("es",),
                ),
            ],
        ),
        Org(
            "Organización Internacional para las Migraciones – Colombia",
            K.INTERNATIONAL,
            "Organismo internacional de apoyo a migrantes y retornados.",
            alternate_name="OIM",
            city="Bogotá",
            services=[
                Svc(
                    "Apoyo escolar para hijos de retornados",
                    T.CHILDREN,
                    "Kits escolares y acompañamiento para la matrícula.",
                    languages=("es",),
                    max_age=17,
                )
            ],
        ),
        _shelter("es", "Bogotá", "Casa Refugio Manuela"),
    ],
)

ECUADOR = Country(
    "EC",
    "UIO",
    "es",
    "Quito",
    "Pichincha",
    "2 255 01{n}",
    [
        Org(
            "Red Socio Empleo",
            K.PUBLIC_AGENCY,
            "Servicio público de empleo.",
            city="Quito",
            services=[
                Svc(
                    "Bolsa de empleo",
                    T.JOB_PLACEMENT,
                    "Registro y búsqueda de ofertas de empleo.",
                    languages=("es", "qu"),
                )
            ],
        ),
        Org(
            "Servicio Ecuatoriano de Capacitación Profesional",
            K.TRAINING_CENTRE,
            "Capacitación profesional.",
            alternate_name="SECAP",
            city="Quito",
            services=[
                Svc(
                    "Cursos de capacitación profesional",
                    T.VOCATIONAL_TRAINING,
                    "Cursos cortos en oficios con certificado.",
                    languages=("es",),
                )
            ],
        ),
        Org(
            "Ministerio de Relaciones Exteriores y Movilidad Humana",
            K.PUBLIC_AGENCY,
            "Atención a ecuatorianos retornados.",
            city="Quito",
            programs=[
                (
                    "Plan de Retorno Digno",
                    "",
                    "Programa de acogida y reinserción de ecuatorianos retornados.",
                )
            ],
            services=[
                Svc(
                    "Certificado de migrante retornado",
                    T.SOCIAL_PROTECTION,
                    "Certificado que da acceso a exenciones y beneficios.",
                    program="Plan de Retorno Digno",
                    languages=("es",),
                ),
                Svc(
                    "Acogida al retorno",
                    T.RECEPTION,
                    "Orientación sobre servicios al llegar.",
                    program="Plan de Retorno Digno",
                    languages=("es", "qu"),
                ),
            ],
        ),
        Org(
            "BanEcuador – Crédito para Emprendedores",
            K.PUBLIC_AGENCY,
            "Banca pública de desarrollo.",
            city="Quito",
            services=[
                Svc(
                    "Crédito para emprendimientos de retornados",
                    T.SELF_EMPLOYMENT,
                    "Crédito con tasa preferencial para negocios de retornados.",
                    languages=("es",),
                )
            ],
        ),
        Org(
            "Centro de Salud Tipo C Quito Sur",
            K.PUBLIC_AGENCY,
            "Atención primaria de salud.",
            city="Quito",
            services=[
                Svc(
                    "Atención médica general",
                    T.HEALTH,
                    "Consultas y vacunación en la red pública.",
                    languages=("es",),
                ),
                Svc(
                    "Acompañamiento psicológico",
                    T.PSYCHOSOCIAL,
                    "Atención psicológica individual.",
                    languages=("es",),
                ),
            ],
        ),
        Org(
            "Ministerio de Educación – Distrito Quito Centro",
            K.PUBLIC_AGENCY,
            "Matrícula y reconocimiento de estudios.",
            city="Quito",
            services=[
                Svc(
                    "Reconocimiento de estudios hechos en el extranjero",
                    T.EDUCATION,
                    "Homologación de títulos y estudios escolares.",
                    languages=("es",),
                )
            ],
        ),
        _shelter("es", "Quito", "Casa de Acogida Cotopaxi"),
    ],
)

PARAGUAY = Country(
    "PY",
    "ASU",
    "es",
    "Asunción",
    "Central",
    "21 555 0{n}",
    [
        Org(
            "Dirección General de Empleo",
            K.PUBLIC_AGENCY,
            "Servicio público de empleo.",
            city="Asunción",
            services=[
                Svc(
                    "Oficina de empleo",
                    T.JOB_PLACEMENT,
                    "Orientación laboral y vacantes.",
                    languages=("es", "gn"),
                )
            ],
        ),
        Org(
            "Servicio Nacional de Promoción Profesional",
            K.TRAINING_CENTRE,
            "Formación profesional.",
            alternate_name="SNPP",
            city="Asunción",
            services=[
                Svc(
                    "Cursos de formación profesional",
                    T.VOCATIONAL_TRAINING,
                    "Cursos gratuitos en oficios.",
                    languages=("es", "gn"),
                )
            ],
        ),
        Org(
            "Dirección de Atención a Connacionales",
            K.PUBLIC_AGENCY,
            "Acogida de paraguayos que regresan.",
            city="Asunción",
            programs=[
                (
                    "Programa de Repatriación y Retorno",
                    "",
                    "Apoyo para el retorno y la reinserción.",
                )
            ],
            services=[
                Svc(
                    "Acogida y orientación",
                    T.RECEPTION,
                    "Información y apoyo en los primeros días.",
                    program="Programa de Repatriación y Retorno",
                    languages=("es", "gn"),
                ),
                Svc(
                    "Kit de reinserción",
                    T.SOCIAL_PROTECTION,
                    "Apoyo económico puntual para necesidades básicas.",
                    program="Programa de Repatriación y Retorno",
                    languages=("es", "gn"),
                ),
            ],
        ),
        Org(
            "Unidad de Salud de la Familia San Roque",
            K.PUBLIC_AGENCY,
            "Atención primaria de salud.",
            city="Asunción",
            services=[
                Svc(
                    "Atención primaria de salud",
                    T.HEALTH,
                    "Consultas gratuitas y derivación a especialistas.",
                    languages=("es", "gn"),
                ),
                Svc(
                    "Contención psicológica",
                    T.PSYCHOSOCIAL,
                    "Atención psicológica en la unidad de salud.",
                    languages=("es", "gn"),
                ),
            ],
        ),
        Org(
            "Fundación Emprende Paraguay",
            K.NGO,
            "Apoyo a microemprendimientos.",
            city="San Lorenzo",
            services=[
                Svc(
                    "Microcrédito y capacitación",
                    T.SELF_EMPLOYMENT,
                    "Capacitación y microcrédito para pequeños negocios.",
                    languages=("es", "gn"),
                )
            ],
        ),
        Org(
            "Ministerio Público – Asistencia a Víctimas",
            K.PUBLIC_AGENCY,
            "Orientación jurídica.",
            city="Asunción",
            services=[
                Svc(
                    "Orientación jurídica y documentos",
                    T.LEGAL,
                    "Ayuda con la cédula y la inscripción de nacimientos.",
                    languages=("es", "gn"),
                )
            ],
        ),
        _shelter("es", "Asunción", "Casa Refugio Kuña"),
    ],
)

URUGUAY = Country(
    "UY",
    "MVD",
    "es",
    "Montevideo",
    "Montevideo",
    "2555 01{n}",
    [
        Org(
            "Centro Público de Empleo",
            K.PUBLIC_AGENCY,
            "Servicio público de empleo.",
            city="Montevideo",
            services=[
                Svc(
                    "Orientación laboral y bolsa de trabajo",
                    T.JOB_PLACEMENT,
                    "Talleres y ofertas de trabajo.",
                    languages=("es",),
                )
            ],
        ),
        Org(
            "Instituto Nacional de Empleo y Formación Profesional",
            K.PUBLIC_AGENCY,
            "Capacitación laboral.",
            alternate_name="INEFOP",
            city="Montevideo",
            services=[
                Svc(
                    "Capacitación para el trabajo",
                    T.VOCATIONAL_TRAINING,
                    "Cursos gratuitos de capacitación.",
                    languages=("es",),
                ),
                Svc(
                    "Apoyo a emprendimientos",
                    T.SELF_EMPLOYMENT,
                    "Asesoría y seguimiento para emprendedores.",
                    languages=("es",),
                ),
            ],
        ),
        Org(
            "Oficina de Retorno y Bienvenida",
            K.PUBLIC_AGENCY,
            "Atención a uruguayos que regresan.",
            city="Montevideo",
            programs=[("Programa Bienvenida", "", "Acogida de uruguayos retornados.")],
            services=[
                Svc(
                    "Bienvenida y orientación",
                    T.RECEPTION,
                    "Información sobre trámites y servicios al llegar.",
                    program="Programa Bienvenida",
                    languages=("es", "pt", "it"),
                )
            ],
        ),
        Org(
            "Ministerio de Desarrollo Social",
            K.PUBLIC_AGENCY,
            "Protección social.",
            alternate_name="MIDES",
            city="Montevideo",
            services=[
                Svc(
                    "Tarjeta Uruguay Social",
                    T.SOCIAL_PROTECTION,
                    "Transferencia mensual para hogares vulnerables.",
                    languages=("es",),
                ),
                Svc(
                    "Solución habitacional transitoria",
                    T.HOUSING,
                    "Alojamiento transitorio para familias sin vivienda.",
                    languages=("es",),
                ),
            ],
        ),
        Org(
            "Administración de los Servicios de Salud del Estado",
            K.PUBLIC_AGENCY,
            "Prestador público de salud.",
            alternate_name="ASSE",
            city="Montevideo",
            services=[
                Svc(
                    "Afiliación a ASSE",
                    T.HEALTH,
                    "Afiliación y atención en policlínicas públicas.",
                    languages=("es",),
                )
            ],
        ),
        Org(
            "Centro de Atención a la Infancia y la Familia",
            K.PUBLIC_AGENCY,
            "Cuidado y educación de la primera infancia.",
            alternate_name="CAIF",
            city="Montevideo",
            services=[
                Svc(
                    "Cuidado infantil para niños de 0 a 3 años",
                    T.CHILDREN,
                    "Educación inicial y cuidado para los más pequeños.",
                    languages=("es",),
                    max_age=3,
                )
            ],
        ),
        _shelter("es", "Montevideo", "Casa de Breve Estadía Ceibo"),
    ],
)

COUNTRIES = [PERU, BOLIVIA, BRAZIL, CHILE, COLOMBIA, ECUADOR, PARAGUAY, URUGUAY]


def _texts(country: Country, text: str, english: str = "") -> dict:
    texts = {country.language: text} if text else {}
    if english:
        texts["en"] = english
    return texts


def _coordinator(organisations, country: Country):
    desk = organisations[country.desk]
    membership = (
        Membership.objects.filter(organisation=desk, role=Role.COORDINATOR, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        return None
    return act_as(membership.user, desk.code)


@transaction.atomic
def ensure_directory(organisations) -> int:
    """Create what is missing of the demo directory; returns how many services were added."""
    added = 0
    counter = 0
    for country in COUNTRIES:
        actor = _coordinator(organisations, country)
        if actor is None:
            continue
        for spec in country.orgs:
            counter += 1
            number = country.phone.format(n=f"{counter % 100:02d}")
            org = directory.Organization.objects.filter(
                country=country.code, name=spec.name
            ).first()
            if org is None:
                words = normalise_text(spec.alternate_name or spec.name).split()
                slug = "".join(c for c in ".".join(words[:2]) if c.isalnum() or c == ".")
                org = actions.create_organization(
                    actor=actor,
                    country=country.code,
                    kind=spec.kind,
                    name=spec.name,
                    alternate_name=spec.alternate_name,
                    description=_texts(country, spec.description),
                    email=f"contacto.{slug}@example.org" if not spec.hidden_place else "",
                    retorno_organisation=organisations.get(spec.retorno) if spec.retorno else None,
                    phones=[number],
                )
            programs = {p.name: p for p in org.programs.all()}
            for name, alternate, description in spec.programs:
                if name not in programs:
                    programs[name] = actions.create_program(
                        org,
                        actor=actor,
                        name=name,
                        alternate_name=alternate,
                        description=_texts(country, description),
                    )
            location = Location.objects.filter(organization=org).order_by("pk").first()
            if location is None:
                days, opens, closes = spec.hours
                hours = {"byday": days, "opens_at": opens, "closes_at": closes}
                if spec.hidden_place:
                    hours = {"byday": "MO,TU,WE,TH,FR,SA,SU", "description": "24 h"}
                location = actions.create_location(
                    org,
                    actor=actor,
                    name=spec.name,
                    address_1=spec.address if not spec.hidden_place else "",
                    city=spec.city or country.city,
                    region=country.region,
                    not_public=spec.hidden_place,
                    phones=[] if spec.hidden_place else [number],
                    schedules=[hours],
                    languages=[country.language],
                )
            for svc in spec.services:
                if Service.objects.filter(organization=org, name=svc.name).exists():
                    continue
                actions.create_service(
                    org,
                    actor=actor,
                    name=svc.name,
                    service_type=svc.service_type,
                    description=_texts(country, svc.description, svc.english),
                    eligibility_description=_texts(country, svc.eligibility),
                    application_process=_texts(country, svc.apply),
                    fees_description=_texts(country, svc.fees),
                    program=programs.get(svc.program) if svc.program else None,
                    minimum_age=svc.min_age,
                    maximum_age=svc.max_age,
                    not_public=svc.not_public,
                    languages=list(svc.languages or (country.language,)),
                    locations=[location],
                )
                added += 1
    return added
