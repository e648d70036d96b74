"""Benchmark the duplicate-person engine (retorno.cases.matching) on a person CSV.

    .venv/bin/python bench/dedup.py FILE.csv [--truth TRUE_PAIRS.csv] [--output report.csv]
                                    [--threshold T] [--scale N] [--seed S]

Loads the CSV (Retorno's person import format) into PersonRecords, drops the rows with no name
at all (reporting them, and dropping the true pairs that mention them), runs find_duplicates,
writes the report (``reference_a,reference_b,score,reasons``) and prints precision, recall and
F1 computed as /work/shared/data/dedup/score_pairs.py does, with wall time and peak memory.

``--scale N`` replaces the loaded records by N synthetic ones made from them, to measure speed
at the size of a national caseload: distinct people recombined from the loaded given names (with
their sex), surnames and random dates, documents, phones and emails; perturbed copies of about a
quarter of them (typos, swapped or dropped surnames, dropped second given name, day/month swap,
year off by one, document typo, phone without country code, capitals); and some twins and
siblings (same surnames, other given names, same or other birth date, shared phone). Its truth
is known, so the figures are printed too, but they measure this script's perturbations, not the
desks' errors: quote them for speed.

Needs no Django settings: the engine imports only gettext_lazy, which is never evaluated here.
"""

from __future__ import annotations

import argparse
import csv
import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retorno.cases.matching import DEFAULT_THRESHOLD, PersonRecord, find_duplicates

SEX = {"M": "male", "F": "female", "m": "male", "f": "female"}
Pairs = set[tuple[str, str]]


def parse_date(value: str) -> tuple[int | None, int | None, int | None]:
    """ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY"; anything else is unknown."""
    try:
        numbers: list[int | None] = [int(p) for p in value.strip().split("-") if p]
    except ValueError:
        return None, None, None
    numbers = [*numbers, None, None, None]
    return numbers[0], numbers[1], numbers[2]


def load_records(path: Path) -> tuple[list[PersonRecord], list[tuple[int, str]]]:
    """PersonRecords from the CSV, and (line, reference) of the rows dropped for having no name."""
    records, dropped = [], []
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        for row in reader:
            ref = row["reference"].strip()
            given = (row.get("given_names") or "").strip()
            first = (row.get("first_surname") or "").strip()
            second = (row.get("second_surname") or "").strip()
            if not (given or first or second):
                dropped.append((reader.line_num, ref))
                continue
            year, month, day = parse_date(row.get("date_of_birth") or "")
            doc = (row.get("document_number") or "").strip()
            phone = (row.get("phone") or "").strip()
            records.append(
                PersonRecord(
                    key=ref,
                    given_names=given,
                    first_surname=first,
                    second_surname=second,
                    sex=SEX.get((row.get("sex") or "").strip(), ""),
                    birth_year=year,
                    birth_month=month,
                    birth_day=day,
                    document_numbers=(doc,) if doc else (),
                    phones=(phone,) if phone else (),
                    email=(row.get("email") or "").strip(),
                )
            )
    return records, dropped


def read_pairs(path: Path) -> Pairs:
    pairs = set()
    with path.open(newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            a, b = row["reference_a"].strip(), row["reference_b"].strip()
            if a and b and a != b:
                pairs.add((a, b) if a < b else (b, a))
    return pairs


def evaluate(truth: Pairs, predicted: Pairs) -> dict[str, float]:
    """Precision, recall and F1 of unordered pairs, exactly as score_pairs.py computes them."""
    tp = len(truth & predicted)
    fp, fn = len(predicted) - tp, len(truth) - tp
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def memory_mb(field: str) -> float:
    """A memory figure of this process from /proc (VmRSS now, VmHWM peak), in MB."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


# ------------------------------------------------------------------------------------------
# Synthetic scaling set (random here is for test data, not security: S311 does not apply)
# ------------------------------------------------------------------------------------------


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    op = rng.choice("sidt")
    if op == "s":
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1 :]
    if op == "i":
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i:]
    if op == "d":
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _digit_typo(rng: random.Random, text: str) -> str:
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    if not positions:
        return text
    i = rng.choice(positions)
    return text[:i] + str((int(text[i]) + rng.randrange(1, 10)) % 10) + text[i + 1 :]


def _perturb(rng: random.Random, r: PersonRecord, key: str) -> PersonRecord:
    """A second registration of the same person, with one to three desk errors."""
    given, first, second = r.given_names, r.first_surname, r.second_surname
    year, month, day = r.birth_year, r.birth_month, r.birth_day
    docs, phones, email = r.document_numbers, r.phones, r.email
    for _ in range(rng.randint(1, 3)):
        change = rng.randrange(11)
        if change == 0:
            given = _typo(rng, given)
        elif change == 1:
            first = _typo(rng, first)
        elif change == 2 and second:
            first, second = second, first
        elif change == 3:
            second = ""
        elif change == 4 and " " in given:
            given = given.split()[0]
        elif change == 5 and month and day and day <= 12:
            month, day = day, month
        elif change == 6 and year:
            year += rng.choice((-1, 1))
        elif change == 7 and docs:
            docs = (_digit_typo(rng, docs[0]),)
        elif change == 8:
            docs = ()
        elif change == 9:
            phones = tuple(p[-9:] for p in phones)
            email = ""
        else:
            given, first, second = given.upper(), first.upper(), second.upper()
    return PersonRecord(key, given, first, second, r.sex, year, month, day, docs, phones, email)


def synthetic(records: list[PersonRecord], n: int, seed: int) -> tuple[list[PersonRecord], Pairs]:
    """N records made from the loaded ones (see the module docstring), and their true pairs."""
    rng = random.Random(seed)  # noqa: S311
    givens = [(r.given_names, r.sex) for r in records if r.given_names]
    firsts = [r.first_surname for r in records if r.first_surname]
    seconds = [r.second_surname for r in records]
    domains = ("gmail.com", "hotmail.com", "yahoo.es", "outlook.com")
    out: list[PersonRecord] = []
    truth: Pairs = set()

    def new_person(key: str, first: str, second: str, year: int, month: int, day: int):
        given, sex = rng.choice(givens)
        doc = "".join(rng.choice(string.digits) for _ in range(rng.choice((7, 8, 10, 11))))
        phone = "+5" + "".join(rng.choice(string.digits) for _ in range(10))
        email = ""
        if rng.random() < 0.4:
            email = f"{given.split()[0]}.{first}{rng.randrange(1000)}@{rng.choice(domains)}"
        return PersonRecord(
            key=key,
            given_names=given,
            first_surname=first,
            second_surname=second,
            sex=sex,
            birth_year=year,
            birth_month=month,
            birth_day=day,
            document_numbers=(doc,) if rng.random() < 0.8 else (),
            phones=(phone,) if rng.random() < 0.7 else (),
            email=email.lower().replace(" ", ""),
        )

    person = 0
    while len(out) < n:
        person += 1
        first, second = rng.choice(firsts), rng.choice(seconds)
        born = rng.randint(1945, 2010), rng.randint(1, 12), rng.randint(1, 28)
        base = new_person(f"syn-{person}-0", first, second, *born)
        cluster = [base]
        if rng.random() < 0.25:
            for k in range(rng.choice((1, 1, 1, 2))):
                cluster.append(_perturb(rng, base, f"syn-{person}-{k + 1}"))
        for i, a in enumerate(cluster):
            for b in cluster[i + 1 :]:
                truth.add((a.key, b.key) if a.key < b.key else (b.key, a.key))
        if rng.random() < 0.05:  # a twin (same birth date) or a sibling, sharing the phone
            twin = rng.random() < 0.5
            other = born if twin else (born[0] + rng.randint(1, 8), born[1], born[2])
            sibling = new_person(f"syn-{person}-sib", first, second, *other)
            if base.phones and rng.random() < 0.5:
                sibling = PersonRecord(**{**sibling.__dict__, "phones": base.phones})
            cluster.append(sibling)
        out.extend(cluster[: n - len(out)])
    kept = {r.key for r in out}
    return out, {p for p in truth if p[0] in kept and p[1] in kept}


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
    for line, ref in dropped[:10]:
        print(f"  line {line}: {ref}: no given name and no surname")
    truth: Pairs | None = None
    if args.truth:
        truth = read_pairs(args.truth)
        gone = {ref for _line, ref in dropped}
        before = len(truth)
        truth = {p for p in truth if p[0] not in gone and p[1] not in gone}
        print(f"true pairs: {len(truth)} ({before - len(truth)} dropped with nameless rows)")
    if args.scale:
        records, truth = synthetic(records, args.scale, args.seed)
        print(f"synthetic: {len(records)} records, {len(truth)} true pairs (seed {args.seed})")

    rss_before = memory_mb("VmRSS")
    start = time.perf_counter()
    matches = find_duplicates(records, threshold=args.threshold)
    elapsed = time.perf_counter() - start
    peak = memory_mb("VmHWM")

    if args.output:
        with args.output.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["reference_a", "reference_b", "score", "reasons"])
            for m in matches:
                writer.writerow([m.a, m.b, f"{m.score:.4f}", ";".join(m.reasons)])
        print(f"report: {args.output}")

    print(f"threshold {args.threshold}: {len(matches)} pairs reported")
    if truth is not None:
        s = evaluate(truth, {(m.a, m.b) for m in matches})
        print(f"precision {s['precision']:.4f}")
        print(f"recall    {s['recall']:.4f}")
        print(f"f1        {s['f1']:.4f}")
        print(f"tp {s['tp']}  fp {s['fp']}  fn {s['fn']}  true_pairs {len(truth)}")
    print(f"time {elapsed:.2f} s in find_duplicates")
    print(f"memory: peak {peak:.0f} MB resident ({rss_before:.0f} MB before find_duplicates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
