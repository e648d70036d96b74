"""Where a person who asks for the programme lives now: the regions of Italy (the campaign's
four first: Lombardy, Piedmont, Liguria, Lazio), the autonomous communities of Spain and the
districts and autonomous regions of Portugal, by their ISO 3166-2 code and their own official
name (a proper name, the same in every language of the site)."""

CAMPAIGN_REGIONS = ("IT-25", "IT-21", "IT-42", "IT-62")

ITALY = (
    ("IT-25", "Lombardia"),
    ("IT-21", "Piemonte"),
    ("IT-42", "Liguria"),
    ("IT-62", "Lazio"),
    ("IT-23", "Valle d'Aosta"),
    ("IT-32", "Trentino-Alto Adige"),
    ("IT-34", "Veneto"),
    ("IT-36", "Friuli-Venezia Giulia"),
    ("IT-45", "Emilia-Romagna"),
    ("IT-52", "Toscana"),
    ("IT-55", "Umbria"),
    ("IT-57", "Marche"),
    ("IT-65", "Abruzzo"),
    ("IT-67", "Molise"),
    ("IT-72", "Campania"),
    ("IT-75", "Puglia"),
    ("IT-77", "Basilicata"),
    ("IT-78", "Calabria"),
    ("IT-82", "Sicilia"),
    ("IT-88", "Sardegna"),
)
SPAIN = (
    ("ES-MD", "Comunidad de Madrid"),
    ("ES-CT", "Cataluña"),
    ("ES-VC", "Comunitat Valenciana"),
    ("ES-AN", "Andalucía"),
    ("ES-PV", "País Vasco"),
    ("ES-AR", "Aragón"),
    ("ES-AS", "Asturias"),
    ("ES-IB", "Illes Balears"),
    ("ES-CN", "Canarias"),
    ("ES-CB", "Cantabria"),
    ("ES-CL", "Castilla y León"),
    ("ES-CM", "Castilla-La Mancha"),
    ("ES-EX", "Extremadura"),
    ("ES-GA", "Galicia"),
    ("ES-RI", "La Rioja"),
    ("ES-MC", "Región de Murcia"),
    ("ES-NC", "Navarra"),
    ("ES-CE", "Ceuta"),
    ("ES-ML", "Melilla"),
)
PORTUGAL = (
    ("PT-11", "Lisboa"),
    ("PT-13", "Porto"),
    ("PT-15", "Setúbal"),
    ("PT-01", "Aveiro"),
    ("PT-02", "Beja"),
    ("PT-03", "Braga"),
    ("PT-04", "Bragança"),
    ("PT-05", "Castelo Branco"),
    ("PT-06", "Coimbra"),
    ("PT-07", "Évora"),
    ("PT-08", "Faro"),
    ("PT-09", "Guarda"),
    ("PT-10", "Leiria"),
    ("PT-12", "Portalegre"),
    ("PT-14", "Santarém"),
    ("PT-16", "Viana do Castelo"),
    ("PT-17", "Vila Real"),
    ("PT-18", "Viseu"),
    ("PT-20", "Região Autónoma dos Açores"),
    ("PT-30", "Região Autónoma da Madeira"),
)

REGIONS = ITALY + SPAIN + PORTUGAL
REGION_NAMES = dict(REGIONS)
# The European desk that serves each country's regions unless a rule says otherwise.
DEFAULT_DESK_BY_COUNTRY = {"IT": "MIL", "ES": "MAD", "PT": "LIS"}


def country_of(region: str) -> str:
    return region.split("-", 1)[0]


def region_name(code: str) -> str:
    return REGION_NAMES.get(code, code)


def grouped_choices(countries_label) -> list:
    """Choices for a select, grouped by country: [(country name, [(code, name), ...]), ...].
    `countries_label(code)` names the country in the reader's language."""
    return [
        (countries_label("IT"), list(ITALY)),
        (countries_label("ES"), list(SPAIN)),
        (countries_label("PT"), list(PORTUGAL)),
    ]
