"""Each case's desk on its monitoring and follow-ups, whether it is closed, and its latest
survey's scores (a migration of its own: PostgreSQL does not alter a table in the transaction
that updated its rows)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    """Each case's desk on its monitoring and follow-ups, whether it is closed, and its latest
    survey's scores."""
    Case = apps.get_model("cases", "Case")
    CaseMonitoring = apps.get_model("monitoring", "CaseMonitoring")
    FollowUp = apps.get_model("monitoring", "FollowUp")
    Survey = apps.get_model("monitoring", "Survey")
    desk = Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("owning_desk_id")[:1])
    FollowUp.objects.update(desk_id=desk)
    CaseMonitoring.objects.update(desk_id=desk)
    CaseMonitoring.objects.filter(case__phase="closed").update(closed=True)
    for figure in ("economic", "social", "psychosocial", "composite"):
        CaseMonitoring.objects.update(
            **{
                figure: Subquery(
                    Survey.objects.filter(pk=OuterRef("latest_survey_id")).values(figure)[:1]
                )
            }
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_desk_and_latest_scores")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
