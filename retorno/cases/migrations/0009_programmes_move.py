# Programme and Cycle now belong to the programmes app: state only, the database is unchanged
# (the tables keep their names, see programmes/migrations/0001_initial.py).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_assignment_assigned_by'),
        ('programmes', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='programmes.cycle', verbose_name='cycle'),
                ),
                migrations.DeleteModel(name='Cycle'),
                migrations.DeleteModel(name='Programme'),
            ],
            database_operations=[],
        ),
    ]
