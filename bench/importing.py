"""How long checking a person import takes, beside the same run's yardstick.

    .venv/bin/python bench/importing.py [--rows 20000] [--repeat 5]

Builds a CSV of ROWS realistic persons in memory, then times, REPEAT times each:

- yardstick: reading the same bytes with the standard library's csv module (decode and split,
  nothing else), the least any import can cost;
- check: `parse_import`, which the Import page and `import_persons` run on every upload (decoding,
  the row cap, names, dates, documents with their check digits, phones, duplicates in the file).

Prints the minimum and median of each and the ratio of the medians. Speed belongs here, not in a
timed test: the suite only checks that 20,000 rows are read whole and right.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
os.environ.setdefault("DEBUG", "1")

HEADER = (
    "reference,given_names,first_surname,second_surname,sex,date_of_birth,nationality,"
    "document_type,document_number,document_country,phone,email,return_country,return_city,"
    "address"
)


def build(rows: int) -> bytes:
    lines = [HEADER]
    for i in range(rows):
        lines.append(
            f"R-{i},José Luis,Quispe,Mamani,M,{1 + i % 28:02d}/{1 + i % 12:02d}/19{50 + i % 50},"
            f"PE,{('national_id', 'passport')[i % 2]},{10_000_000 + i},PE,98{i:07d},"
            f"person{i}@example.org,PE,Arequipa,Calle Mercaderes 123"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from retorno.cases.importing import parse_import

    content = build(args.rows)

    def yardstick():
        return sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8"))))

    def check():
        result = parse_import("bench.csv", content, default_phone_region="IT")
        assert result.ok and len(result.rows) == args.rows, result.errors[:3]

    figures = {"yardstick (csv only)": timed(yardstick, args.repeat)}
    figures["check (parse_import)"] = timed(check, args.repeat)
    print(f"{args.rows:,} rows, {len(content) / 1e6:.1f} MB, {args.repeat} runs each")
    for name, times in figures.items():
        print(f"  {name:22} min {min(times):7.3f} s   median {statistics.median(times):7.3f} s")
    ratio = statistics.median(figures["check (parse_import)"]) / statistics.median(
        figures["yardstick (csv only)"]
    )
    print(f"  check / yardstick: {ratio:.0f}x")


if __name__ == "__main__":
    main()
