"""Benchmark the duplicate-person engine (retorno.cases.matching) on a person CSV.

    .venv/bin/python bench/dedup.py FILE.csv [--truth TRUE_PAIRS.csv] [--output report.csv]
                                    [--threshold T] [--scale N] [--seed S]

Loads the CSV (Retorno's person import format) into PersonRecords, drops rows with no name at all
(and the true pairs that mention them), runs find_duplicates, writes the report
(``reference_a,reference_b,score,reasons``), and prints precision, recall and F1 computed the way
/work/shared/data/dedup/score_pairs.py does, plus wall time and peak memory.

``--scale N`` instead builds N synthetic records from the loaded ones: the loaded people under new
keys, many new people made by recombining their given names, surnames, dates and numbers, and
perturbed copies of some of them (typos, swapped surnames, dropped second surname or given name,
day/month swaps, document typos, phone formats). Its truth is known, so the figures are printed
too, but they measure speed more than quality: the perturbations are this script's own.

Needs no Django settings: the engine imports only gettext_lazy, which is never evaluated here.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retorno.cases.matching import (  # noqa: E402 (path set up above)
    DEFAULT_THRESHOLD,
    PersonRecord,
    find_duplicates,
)

SEX = {"M": "male", "F": "female", "m": "male", "f": "female"}


def parse_date(value: str) -> tuple[int | None, int | None, int | None]:
    """ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY"; anything else is unknown."""
    parts = value.strip().split("-")
    try:
        numbers = [int(p) for p in parts if p]
    except ValueError:
        return None, None, None
    numbers = (numbers + [None, None, None])[:3]
    return numbers[0], numbers[1], numbers[2]


def load_records(path: Path) -> tuple[list[PersonRecord], list[str]]:
    """PersonRecords from the CSV, and the references of the rows dropped for having no name."""
    records, dropped = [], []
    with path.open(newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            ref = row["reference"].strip()
            given = row.get("given_names", "").strip()
            first = row.get("first_surname", "").strip()
            second = row.get("second_surname", "").strip()
            if not (given or first or second):
                dropped.append(ref)
                continue
            year, month, day = parse_date(row.get("date_of_birth", ""))
            doc = row.get("document_number", "").strip()
            phone = row.get("phone", "").strip()
            records.append(
                PersonRecord(
                    key=ref,
                    given_names=given,
                    first_surname=first,
                    second_surname=second,
                    sex=SEX.get(row.get("sex", "").strip(), ""),
                    birth_year=year,
                    birth_month=month,
                    birth_day=day,
                    document_numbers=(doc,) if doc else (),
                    phones=(phone,) if phone else (),
                    email=row.get("email", "").strip(),
                )
            )
    return records, dropped


def read_pairs(path: Path) -> set[tuple[str, str]]:
    pairs = set()
    with path.open(newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            a, b = row["reference_a"].strip(), row["reference_b"].strip()
            if a and b and a != b:
                pairs.add((a, b) if a < b else (b, a))
    return pairs


def evaluate(truth: set[tuple[str, str]], predicted: set[tuple[str, str]]) -> dict[str, float]:
    tp = len(truth & predicted)
    fp, fn = len(predicted) - tp, len(truth) - tp
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


# ------------------------------------------------------------------------------------------
# Synthetic scaling set
# ------------------------------------------------------------------------------------------


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))
    op = rng.choice("sidt")
    letter = rng.choice(string.ascii_lowercase)
    if op == "s":
        return text[:i] + letter + text[i + 1 :]
    if op == "i":
        return text[:i] + letter + text[i:]
    if op == "d":
        return text[:i] + text[i + 1 :]
    j = min(i + 1, len(text) - 1)
    return text[:i] + text[j] + text[i] + text[j + 1 :]


def _digit_typo(rng: random.Random, text: str) -> str:
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    if not positions:
        return text
    i = rng.choice(positions)
    return text[:i] + str((int(text[i]) + rng.randrange(1, 10)) % 10) + text[i + 1 :]


def _perturb(rng: random.Random, r: PersonRecord, key: str) -> PersonRecord:
    given, first, second = r.given_names, r.first_surname, r.second_surname
    year, month, day = r.birth_year, r.birth_month, r.birth_day
    docs, phones, email = r.document_numbers, r.phones, r.email
    for _ in range(rng.randint(1, 3)):
        change = rng.randrange(10)
        if change == 0:
            given = _typo(rng, given)
        elif change == 1:
            first = _typo(rng, first)
        elif change == 2:
            first, second = second or first, first if second else ""
        elif change == 3:
            second = ""
        elif change == 4 and " " in given:
            given = given.split()[0]
        elif change == 5 and month and day and day <= 12:
            month, day = day, month
        elif change == 6 and year:
            year += rng.choice((-1, 1))
        elif change == 7 and docs:
            docs = (_digit_typo(rng, docs[0]),) if rng.random() < 0.5 else ()
        elif change == 8:
            phones = tuple(p[-9:] for p in phones)
            email = "" if rng.random() < 0.5 else email
        else:
            given, first = given.upper(), first.upper()
    return PersonRecord(
        key, given, first, second, r.sex, year, month, day, docs, phones, email
    )


def synthetic(
    records: list[PersonRecord], n: int, seed: int
) -> tuple[list[PersonRecord], set[tuple[str, str]]]:
    """N records: new people recombined from the loaded ones, a third with perturbed copies."""
    rng = random.Random(seed)
    givens = [r.given_names for r in records if r.given_names]
    firsts = [r.first_surname for r in records if r.first_surname]
    seconds = [r.second_surname for r in records]
    emails_domains = ["gmail.com", "hotmail.com", "yahoo.es", "outlook.com"]
    out: list[PersonRecord] = []
    truth: set[tuple[str, str]] = set()
    person = 0
    while len(out) < n:
        person += 1
        template = rng.choice(records)
        given, first, second = rng.choice(givens), rng.choice(firsts), rng.choice(seconds)
        doc = "".join(rng.choice(string.digits) for _ in range(rng.choice((7, 8, 10, 11))))
        phone = "+5" + "".join(rng.choice(string.digits) for _ in range(10))
        email = ""
        if rng.random() < 0.4:
            email = f"{given.split()[0]}.{first}{rng.randrange(1000)}@{rng.choice(emails_domains)}"
        base = PersonRecord(
            key=f"syn-{person}-0",
            given_names=given,
            first_surname=first,
            second_surname=second,
            sex=template.sex,
            birth_year=rng.randint(1945, 2010),
            birth_month=rng.randint(1, 12),
            birth_day=rng.randint(1, 28),
            document_numbers=(doc,) if rng.random() < 0.8 else (),
            phones=(phone,) if rng.random() < 0.7 else (),
            email=email.lower().replace(" ", ""),
        )
        cluster = [base]
        if rng.random() < 0.3:
            for k in range(rng.choice((1, 1, 1, 2))):
                cluster.append(_perturb(rng, base, f"syn-{person}-{k + 1}"))
        cluster = cluster[: n - len(out)]
        for i, a in enumerate(cluster):
            for b in cluster[i + 1 :]:
                truth.add((a.key, b.key) if a.key < b.key else (b.key, a.key))
        out.extend(cluster)
    return out, truth


# ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="person CSV in Retorno's import format")
    parser.add_argument("--truth", type=Path, help="true pairs CSV (reference_a,reference_b)")
    parser.add_argument("--output", type=Path, help="write the report CSV here")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--scale", type=int, help="build N synthetic records from the file")
    parser.add_argument("--seed", type=int, default=2026, help="seed for --scale")
    args = parser.parse_args(argv)

    records, dropped = load_records(args.file)
    print(f"{args.file.name}: {len(records)} records loaded, {len(dropped)} dropped (no name)")
    truth: set[tuple[str, str]] | None = None
    if args.truth:
        truth = read_pairs(args.truth)
        gone = set(dropped)
        before = len(truth)
        truth = {p for p in truth if p[0] not in gone and p[1] not in gone}
        print(f"true pairs: {len(truth)} ({before - len(truth)} dropped with nameless rows)")
    if args.scale:
        records, truth = synthetic(records, args.scale, args.seed)
        print(f"synthetic: {len(records)} records, {len(truth)} true pairs (seed {args.seed})")

    start = time.perf_counter()
    matches = find_duplicates(records, threshold=args.threshold)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    if args.output:
        with args.output.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["reference_a", "reference_b", "score", "reasons"])
            for m in matches:
                writer.writerow([m.a, m.b, f"{m.score:.4f}", ";".join(m.reasons)])
        print(f"report: {args.output} ({len(matches)} pairs)")

    print(f"threshold {args.threshold}  pairs found {len(matches)}")
    if truth is not None:
        s = evaluate(truth, {(m.a, m.b) for m in matches})
        print(f"precision {s['precision']:.4f}")
        print(f"recall    {s['recall']:.4f}")
        print(f"f1        {s['f1']:.4f}")
        print(f"tp {s['tp']}  fp {s['fp']}  fn {s['fn']}  true_pairs {len(truth)}")
    print(f"time {elapsed:.2f} s (find_duplicates)  peak memory {peak_mb:.0f} MB (process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
