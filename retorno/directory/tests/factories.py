"""Directory entries set up through the real actions, by Lima's coordinator by default."""

from retorno.conftest import acting
from retorno.directory import actions


def organization(personas, *, actor=None, country="PE", **fields):
    data = {
        "kind": "ngo",
        "name": "Fundación Andes",
        "description": {"es": "Apoyo a familias retornadas."},
        **fields,
    }
    return actions.create_organization(
        actor=acting(actor or personas.mateo), country=country, **data
    )


def location(org, personas, *, actor=None, **fields):
    data = {
        "name": "Sede central",
        "address_1": "Av. Principal 100",
        "city": "Lima",
        "region": "Lima",
        **fields,
    }
    return actions.create_location(org, actor=acting(actor or personas.mateo), **data)


def service(org, personas, *, actor=None, **fields):
    data = {
        "name": "Curso de costura",
        "service_type": "vocational_training",
        "description": {"es": "Curso de costura industrial de tres meses."},
        **fields,
    }
    return actions.create_service(org, actor=acting(actor or personas.mateo), **data)
