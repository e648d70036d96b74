"""Each case's latest score bands, from its latest scores (a migration of its own: PostgreSQL
does not alter a table in the transaction that updated its rows)."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Case, IntegerField, Value, When


def backfill(apps, schema_editor):
    CaseMonitoring = apps.get_model("monitoring", "CaseMonitoring")
    for figure in ("economic", "social", "psychosocial", "composite"):
        band = Case(
            *[
                When(**{f"{figure}__gte": Decimal(n) / 5}, then=Value(n))
                for n in (4, 3, 2, 1, 0)
            ],
            default=None,
            output_field=IntegerField(),
        )
        CaseMonitoring.objects.filter(**{f"{figure}__isnull": False}).update(
            **{f"{figure}_band": band}
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0007_score_bands")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
