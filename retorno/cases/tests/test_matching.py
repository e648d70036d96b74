"""The duplicate-person engine, as the desks and coordinators experience it.

Plain functions, no database: the engine is pure Python.
"""

import csv
from pathlib import Path

import pytest

from retorno.cases.matching import (
    DEFAULT_THRESHOLD,
    REASONS,
    Match,
    PersonRecord,
    blocking_keys,
    find_duplicates,
    find_matches_for,
    normalise_document,
    normalise_phone,
    score_pair,
    search_key,
)
from retorno.lib.text import normalise_text

DATA = Path(__file__).resolve().parents[2] / "testing" / "data" / "dedup"


def person(key, given, first, second="", born=None, **extra):
    """A PersonRecord from an ISO birth date ("1990-05-12") and keyword extras."""
    year = month = day = None
    if born:
        year, month, day = (int(p) for p in born.split("-"))
    return PersonRecord(
        key=key,
        given_names=given,
        first_surname=first,
        second_surname=second,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        **extra,
    )


def is_match(a, b):
    match = score_pair(a, b)
    return match is not None and match.score >= DEFAULT_THRESHOLD


def reasons(a, b):
    match = score_pair(a, b)
    assert match is not None
    return match.reasons


# --- normalisation ------------------------------------------------------------------------


def test_normalise_text_drops_accents_case_punctuation():
    assert normalise_text("María-José  Núñez") == "maria jose nunez"
    assert normalise_text("  D'Ávila, João ") == "d avila joao"
    assert normalise_text("") == ""


def test_normalise_document_keeps_letters_and_digits():
    assert normalise_document("470.521.567-25") == "47052156725"
    assert normalise_document("b 938-9666") == "B9389666"


def test_normalise_phone_keeps_last_nine_digits():
    assert normalise_phone("+51 987 654 321") == normalise_phone("987654321") == "987654321"
    assert normalise_phone("(85)92696-9267") == "926969267"


def test_search_key_is_the_normalised_name_in_written_order():
    assert search_key("María José", "Núñez", "Quispe") == "maria jose nunez quispe"
    assert search_key("Ana", "Gómez", "") == "ana gomez"


# --- what a desk sees ---------------------------------------------------------------------


def test_accents_case_and_word_order_are_ignored():
    a = person("a", "María José", "Núñez", "Quispe", "1990-05-12")
    assert is_match(a, person("b", "MARIA JOSE", "NUNEZ", "QUISPE", "1990-05-12"))
    assert is_match(a, person("c", "José María", "Núñez", "Quispe", "1990-05-12"))
    assert reasons(a, person("d", "maria jose", "nunez", "quispe", "1990-05-12"))[:2] == (
        "same_names",
        "same_birth_date",
    )


def test_swapped_surnames_match():
    a = person("a", "Ana", "Gómez", "Ruiz", "1985-03-20")
    b = person("b", "Ana", "Ruiz", "Gómez", "1985-03-20")
    assert is_match(a, b)
    assert "surnames_swapped" in reasons(a, b)


def test_missing_second_surname_matches_with_same_birth_date():
    a = person("a", "Rosa Elena", "Cusi", "Huanca", "1979-08-02")
    b = person("b", "Rosa Elena", "Cusi", "", "1979-08-02")
    assert is_match(a, b)
    assert {"same_birth_date", "second_surname_missing"} <= set(reasons(a, b))


def test_compound_surname_joined_or_split_matches():
    a = person("a", "Ezequiel", "Montes de Oca", "Ferrándiz", "1987-01-18")
    assert is_match(a, person("b", "Ezequiel", "Montesdeoca", "Ferrandiz", "1987-01-18"))
    assert is_match(a, person("c", "Ezequiel", "Montes-de-Oca Ferrándiz", "", "1987-01-18"))


def test_dropped_or_shortened_second_given_name_matches():
    a = person("a", "Fermín Alejo", "Herranz", "Royo", "1987-01-13")
    assert is_match(a, person("b", "Fermín", "Herranz", "Royo", "1987-01-13"))
    assert is_match(a, person("c", "Fermín A.", "Herranz", "Royo", "1987-01-13"))


def test_day_month_swap_is_a_reason():
    a = person("a", "Ana", "Gómez", "Ruiz", "1985-03-04")
    b = person("b", "Ana", "Gómez", "Ruiz", "1985-04-03")
    assert is_match(a, b)
    assert "birth_date_day_month_swapped" in reasons(a, b)


@pytest.mark.parametrize(
    ("nickname", "name"),
    [
        ("Pepe", "José"),
        ("Zé", "José"),
        ("Paco", "Francisco"),
        ("Chico", "Francisco"),
        ("Chelo", "Consuelo"),
        ("Lucho", "Luis"),
        ("Toño", "Antonio"),
        ("Nacho", "Ignacio"),
    ],
)
def test_a_nickname_matches_the_full_name(nickname, name):
    a = person("a", nickname, "Torres", "Vega", "1970-07-07")
    b = person("b", name, "Torres", "Vega", "1970-07-07")
    assert is_match(a, b)
    assert "nickname" in reasons(a, b)


def test_typos_in_names_still_match():
    a = person("a", "Narciso Luis", "Vargas", "Tamayo", "1983-04-24")
    assert is_match(a, person("b", "Narsiso Luis", "Bargas", "Tamayo", "1983-04-24"))


def test_twins_with_different_given_names_do_not_match_on_birth_date_and_surnames():
    luis = person("a", "Luis", "Mamani", "Quispe", "1990-01-02", sex="male")
    assert not is_match(luis, person("b", "Jorge", "Mamani", "Quispe", "1990-01-02", sex="male"))
    # Twins who share a first name and the family phone are still told apart.
    luis_alberto = person("c", "Luis Alberto", "Mamani", "Quispe", "1990-01-02", sex="male")
    assert not is_match(
        luis_alberto, person("d", "Luis Fernando", "Mamani", "Quispe", "1990-01-02", sex="male")
    )
    with_phone = person("e", "Jorge", "Mamani", "Quispe", "1990-01-02", phones=("71234567",))
    assert not is_match(
        person("f", "Luis", "Mamani", "Quispe", "1990-01-02", phones=("+591 71234567",)),
        with_phone,
    )


def test_twins_match_when_other_evidence_agrees():
    a = person("a", "Luis", "Mamani", "Quispe", "1990-01-02", document_numbers=("4503673",))
    b = person("b", "Jorge", "Mamani", "Quispe", "1990-01-02", document_numbers=("4503673",))
    assert is_match(a, b)
    assert reasons(a, b)[0] == "same_document"


def test_siblings_do_not_match():
    a = person("a", "Luis", "Mamani", "Quispe", "1990-01-02", sex="male")
    b = person("b", "Rosa", "Mamani", "Quispe", "1994-06-11", sex="female")
    assert not is_match(a, b)


def test_same_common_name_with_different_birth_date_and_document_does_not_match():
    a = person("a", "Ariadna", "Fernández", "Álvarez", "1983-09-05", document_numbers=("61694167",))
    b = person("b", "Ariadna", "Fernandez", "Alvarez", "1979-03-06", document_numbers=("E 684824",))
    assert not is_match(a, b)
    assert "different_birth_date" in reasons(a, b)


def test_same_document_number_with_different_formatting_matches():
    a = person("a", "João Felipe", "Monteiro", "Lima", document_numbers=("470.521.567-25",))
    b = person("b", "Joao", "Monteiro", "", document_numbers=("47052156725",))
    assert is_match(a, b)
    assert reasons(a, b)[0] == "same_document"
    # The Bolivian issuing-department suffix is formatting too.
    c = person("c", "Eugenia", "Díaz", "Navas", document_numbers=("3246941 OR",))
    d = person("d", "Eugenia", "Diaz", "", document_numbers=("3246941",))
    assert reasons(c, d)[0] == "same_document"


def test_document_number_one_typo_apart_is_a_reason():
    a = person("a", "Noé", "Layme", "Carranza", document_numbers=("1677463",))
    b = person("b", "Noe", "Layme", "Carranza", document_numbers=("1677436",))
    assert is_match(a, b)
    assert "similar_document" in reasons(a, b)


def test_phone_with_and_without_country_code_matches():
    a = person("a", "Rosa", "Cusi", "", phones=("+591 77925602",))
    b = person("b", "Rosa", "Cusi", "Huanca", "1980-01-01", phones=("77925602",))
    assert "same_phone" in reasons(a, b)
    assert is_match(a, b)


def test_unrelated_people_give_none_and_scores_stay_in_range():
    a = person("a", "Luis", "Mamani", "Quispe", "1990-01-02", sex="male")
    b = person("b", "Valentina", "Aguirre", "Bou", "1984-01-11", sex="female")
    assert score_pair(a, b) is None
    assert score_pair(a, a) is None  # same key: not a duplicate of itself
    match = score_pair(a, person("c", "Luis", "Mamani", "Quispe", "1990-01-02"))
    assert isinstance(match, Match) and 0.0 <= match.score <= 1.0


def test_every_reason_code_has_a_label():
    pairs = [
        (person("a", "Pepe", "Gómez", "Ruiz", "1985-03-04"), person("b", "José", "Ruiz", "")),
        (
            person("a", "Ana", "Gómez", "Ruiz", "1985-03-04", document_numbers=("1234567",)),
            person("b", "Ana", "Ruiz", "Gomez", "1985-04-03", document_numbers=("1234576",)),
        ),
    ]
    for a, b in pairs:
        match = score_pair(a, b)
        assert match is not None
        assert match.reasons and set(match.reasons) <= set(REASONS)


# --- the coordinators' report and the registration hint -----------------------------------


def test_find_duplicates_returns_each_pair_once_best_first():
    records = [
        person("p1", "Ana", "Gómez", "Ruiz", "1985-03-20", document_numbers=("1234567",)),
        person("p2", "ANA", "GOMEZ", "RUIZ", "1985-03-20", document_numbers=("1.234.567",)),
        person("p3", "Ana", "Ruiz", "Gómez", "1985-03-20"),
        person("p4", "Luis", "Mamani", "Quispe", "1990-01-02"),
    ]
    matches = find_duplicates(reversed(records))
    pairs = [(m.a, m.b) for m in matches]
    assert sorted(pairs) == [("p1", "p2"), ("p1", "p3"), ("p2", "p3")]
    assert all(m.a < m.b for m in matches)
    assert len(set(pairs)) == len(pairs)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert (matches[0].a, matches[0].b) == ("p1", "p2")  # the one with the same document


def test_find_matches_for_ranks_the_pool_and_respects_limit_and_threshold():
    new = person("new", "Pepe", "Torres", "", "1966-09-17")
    pool = [
        new,  # the person being edited is not its own duplicate
        person("x1", "José", "Torres", "Vega", "1966-09-17"),
        person("x2", "José", "Torres", "Vega", "1966-09-17", document_numbers=("C 69969277",)),
        person("x3", "José", "Torres", "", "1966-09-17"),
        person("x4", "María", "Torres", "Vega", "1970-02-01"),
    ]
    matches = find_matches_for(new, pool)
    assert {m.a for m in matches} | {m.b for m in matches} >= {"new", "x1", "x3"}
    assert all("new" in (m.a, m.b) for m in matches)
    assert all(m.score >= DEFAULT_THRESHOLD for m in matches)
    assert "x4" not in {m.a for m in matches} | {m.b for m in matches}
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert len(find_matches_for(new, pool, limit=1)) == 1
    assert len(find_matches_for(new, pool, threshold=0.999999)) == 0


def test_blocking_keys_are_few_short_and_deterministic():
    busy = PersonRecord(
        key="k",
        given_names="Ana María Javiera",
        first_surname="Ponce de León",
        second_surname="De la Fuente García",
        sex="female",
        birth_year=1985,
        birth_month=10,
        birth_day=23,
        document_numbers=("TZ 331318", "20.338.049", "99 999 999"),
        phones=("+57 324 337 7206", "+34 611 00 81 61", "+39 335 818 4647"),
        email="mery.poncedeleon.delafuente.garcia@hotmail.com",
    )
    keys = blocking_keys(busy)
    assert 1 <= len(keys) <= 10
    assert all(isinstance(k, str) and 0 < len(k) <= 20 for k in keys)
    assert blocking_keys(busy) == keys
    assert blocking_keys(PersonRecord(key="nobody")) == set()


def test_duplicates_share_a_blocking_key():
    a = person("a", "José", "Guzmán", "Salgado", "1988-07-01")
    for b in (
        person("b", "Pepe", "Salgado", "Guzmán", ""),  # nickname, swapped, no date
        person("c", "Jose", "Guzman", "", "1988-01-07"),  # day/month swapped
        person("d", "Josué", "Guzmán", "Salgado", "1989-07-01"),  # given and year typos
    ):
        assert blocking_keys(a) & blocking_keys(b), b


# --- measured quality ---------------------------------------------------------------------


def load(name):
    """Records of a test file (rows with no name dropped, as an import would) and its pairs."""
    records, kept = [], set()
    with (DATA / f"{name}_persons.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names = (row["given_names"], row["first_surname"], row["second_surname"])
            if not any(n.strip() for n in names):
                continue
            year = month = day = None
            if row["date_of_birth"]:
                year, month, day = (int(p) for p in row["date_of_birth"].split("-"))
            records.append(
                PersonRecord(
                    key=row["reference"],
                    given_names=names[0],
                    first_surname=names[1],
                    second_surname=names[2],
                    sex={"M": "male", "F": "female"}.get(row["sex"], ""),
                    birth_year=year,
                    birth_month=month,
                    birth_day=day,
                    document_numbers=(row["document_number"],) if row["document_number"] else (),
                    phones=(row["phone"],) if row["phone"] else (),
                    email=row["email"],
                )
            )
            kept.add(row["reference"])
    with (DATA / f"{name}_true_pairs.csv").open(newline="", encoding="utf-8") as f:
        truth = {
            tuple(sorted((r["reference_a"], r["reference_b"])))
            for r in csv.DictReader(f)
            if r["reference_a"] in kept and r["reference_b"] in kept
        }
    return records, truth


def f1(records, truth):
    found = {(m.a, m.b) for m in find_duplicates(records)}
    tp = len(found & truth)
    precision, recall = tp / len(found), tp / len(truth)
    return 2 * precision * recall / (precision + recall), precision, recall


# Measured 2026-11-25 (bench/DEDUP.md): febrl1 F1 0.990, latam0 F1 0.998; floors leave a margin.
@pytest.mark.parametrize(("name", "floor"), [("febrl1", 0.975), ("latam0", 0.99)])
def test_precision_and_recall_on_the_test_sets(name, floor):
    score, precision, recall = f1(*load(name))
    assert score >= floor, (score, precision, recall)
