"""Load the default reintegration sustainability survey, version 1 (instruments/rss-1.json), so
that every installation can plan and score surveys from its first day. Later versions are loaded
with `manage.py load_instrument`, never by editing this one."""

import json
from pathlib import Path

from django.db import migrations

from retorno.monitoring import instrument

FILE = Path(__file__).resolve().parent.parent / "instruments" / "rss-1.json"


def load(apps, schema_editor):
    Instrument = apps.get_model("monitoring", "Instrument")
    InstrumentVersion = apps.get_model("monitoring", "InstrumentVersion")
    definition = json.loads(FILE.read_text(encoding="utf-8"))
    problems = instrument.validate(definition)
    if problems:
        raise ValueError(f"{FILE}: " + "; ".join(problems))
    owner, _ = Instrument.objects.get_or_create(code=definition["code"])
    InstrumentVersion.objects.get_or_create(
        instrument=owner,
        number=definition["version"],
        defaults={"definition": definition, "checksum": instrument.checksum(definition)},
    )


def unload(apps, schema_editor):
    InstrumentVersion = apps.get_model("monitoring", "InstrumentVersion")
    InstrumentVersion.objects.filter(
        instrument__code="rss", number=1, surveys__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
