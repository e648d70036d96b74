import time

from django.core.management.base import BaseCommand, CommandError

from retorno.accounts.models import Organisation
from retorno.audit.events import record
from retorno.cases import queries
from retorno.cases.models import Case
from retorno.lib.spreadsheets import CsvWriter


class Command(BaseCommand):
    help = (
        "Write the pairs of persons of a desk that look like the same person, as CSV with the "
        "header reference_a,reference_b,score,reasons, highest score first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--desk", required=True, help="Code of the desk, like MIL or LIM")
        parser.add_argument("--output", required=True, help="Where to write the CSV file")

    def handle(self, *args, desk, output, **options):
        organisation = Organisation.objects.filter(code=desk.upper()).first()
        if organisation is None:
            raise CommandError(f"No desk with the code {desk!r}.")
        started = time.monotonic()
        matches, by_key = queries.desk_duplicates(organisation)
        references = {}
        for key, person in by_key.items():
            if person.desk_reference:
                references[key] = person.desk_reference
        missing = [by_key[k] for k in by_key if k not in references]
        if missing:
            first_case = {}
            for person_id, reference in (
                Case.objects.filter(person__in=missing)
                .order_by("created_at")
                .values_list("person_id", "reference")
            ):
                first_case.setdefault(person_id, reference)
            for person in missing:
                references[str(person.public_id)] = first_case.get(person.pk, str(person.public_id))
        with open(output, "w", newline="", encoding="utf-8") as handle:
            writer = CsvWriter(handle)
            writer.writerow(["reference_a", "reference_b", "score", "reasons"])
            for match in matches:
                writer.writerow(
                    [
                        references[match.a],
                        references[match.b],
                        f"{match.score:.3f}",
                        ";".join(match.reasons),
                    ]
                )
        elapsed = time.monotonic() - started
        record(
            "duplicates.reported",
            actor=None,
            actor_username="manage.py",
            organisation=organisation,
            detail={"persons": len(by_key), "pairs": len(matches)},
        )
        self.stdout.write(
            f"{len(matches)} possible duplicate pairs among {len(by_key)} persons of "
            f"{organisation.code}, written to {output} in {elapsed:.1f} s."
        )
