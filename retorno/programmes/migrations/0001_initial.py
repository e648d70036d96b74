# Programme and Cycle move from the cases app: state only, the tables keep their names
# (cases_programme, cases_cycle, cases_cycle_desks) and their rows.

import django.db.models.deletion
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0003_organisation_names_per_language'),
        ('cases', '0008_assignment_assigned_by'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Programme',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                    ('code', models.CharField(max_length=20, unique=True, verbose_name='code')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                ],
                options={
                    'verbose_name': 'programme',
                    'verbose_name_plural': 'programmes',
                    'db_table': 'cases_programme',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='Cycle',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('starts_on', models.DateField(verbose_name='starts on')),
                    ('ends_on', models.DateField(verbose_name='ends on')),
                    ('target_people', models.PositiveIntegerField(default=1000, verbose_name='people to support')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('desks', models.ManyToManyField(blank=True, db_table='cases_cycle_desks', related_name='cycles', to='accounts.organisation', verbose_name='desks taking part')),
                    ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cycles', to='programmes.programme', verbose_name='programme')),
                ],
                options={
                    'verbose_name': 'cycle',
                    'verbose_name_plural': 'cycles',
                    'db_table': 'cases_cycle',
                    'ordering': ['-starts_on'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='cycle_dates'), models.UniqueConstraint(fields=('programme', 'name'), name='cycle_unique_name')],
                },
            ),
            ],
            database_operations=[],
        ),
    ]
