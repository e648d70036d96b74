"""Duplicate-person detection: is this new person someone we already registered?

Pure Python (plus rapidfuzz); no Django models, so it runs in the desk's "possible duplicates"
hint, in the coordinators' duplicate report and in ``bench/dedup.py`` alike.

How it works, in short (bench/DEDUP.md has the long version and the measured figures):

1. Normalise: names lowercased without accents or punctuation; surname particles (de, da, del…)
   set aside; document numbers reduced to letters and digits; phones to their last 9 digits.
2. Block: every record gets a few short keys (document digits, phone suffix, email, birth date,
   given name + surname sound-alikes, surname sound-alike + birth year, both surnames). Only
   records sharing a key are compared; oversized blocks are compared by sorted neighbourhood.
3. Score: each comparison (names token by token, birth date, documents, phones, email, sex) adds
   or subtracts evidence in log-odds, in the spirit of Fellegi-Sunter record linkage, with the
   weights checked against a logistic regression. The sum goes through a logistic curve to
   give a score between 0 and 1, and the comparisons that mattered become reason codes.

Names are compared as bags of tokens, so word order, a missing second surname, a dropped second
given name, surnames swapped and given name / surname swapped all still match; a small table of
Spanish and Portuguese hypocorisms lets "Pepe" match "José". Twins and siblings share surnames
(and twins a birth date, families a phone), so *conflicting* given names count strongly against
a match and take back what those shared details would otherwise add.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import OSA, JaroWinkler

from retorno.lib.text import normalise_text

__all__ = [
    "BLOCKING_KEYS_VERSION",
    "DEFAULT_THRESHOLD",
    "REASONS",
    "Match",
    "PersonRecord",
    "blocking_keys",
    "find_duplicates",
    "find_matches_for",
    "normalise_document",
    "normalise_phone",
    "normalise_text",
    "record_of",
    "score_pair",
    "search_key",
]


@dataclass(frozen=True)
class PersonRecord:
    key: str  # opaque id (a UUID string or a desk reference)
    given_names: str = ""
    first_surname: str = ""
    second_surname: str = ""
    sex: str = ""  # "female", "male", "other" or "" (unknown)
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    document_numbers: tuple[str, ...] = ()  # raw as typed, any formatting
    phones: tuple[str, ...] = ()  # raw or E.164
    email: str = ""


def record_of(source, *, documents: Iterable[str] = (), key: str | None = None) -> PersonRecord:
    """The record matched for a person: the one way it is built, from a saved person (any object
    with the person's attributes, keyed by its public id) or from the fields of one being
    registered (a dict, keyed "new"), with the numbers of their identity documents."""
    if isinstance(source, dict):
        get = source.get
        key = key or "new"
    else:
        key = key or str(source.public_id)

        def get(name, default=None):
            return getattr(source, name, default)

    return PersonRecord(
        key=key,
        given_names=get("given_names") or "",
        first_surname=get("first_surname") or "",
        second_surname=get("second_surname") or "",
        sex=get("sex") or "",
        birth_year=get("birth_year"),
        birth_month=get("birth_month"),
        birth_day=get("birth_day"),
        document_numbers=tuple(documents),
        phones=tuple(p for p in (get("phone_europe"), get("phone_home")) if p),
        email=get("email") or "",
    )


@dataclass(frozen=True)
class Match:
    a: str  # key of one record
    b: str  # key of the other (a < b lexicographically, so a pair appears once)
    score: float  # 0..1, higher = more likely the same person
    reasons: tuple[str, ...]  # reason codes from REASONS: supporting evidence strongest first,
    # then conflicting evidence (codes "different_…"), strongest first


REASONS = {
    # Evidence for a match.
    "same_document": _("Same document number"),
    "similar_document": _("Document number differs by one character"),
    "same_birth_date": _("Same date of birth"),
    "birth_date_day_month_swapped": _("Day and month of birth swapped"),
    "similar_birth_date": _("Date of birth differs by one typo"),
    "same_birth_year": _("Same year of birth"),
    "same_names": _("Same names"),
    "similar_names": _("Similar names"),
    "surnames_swapped": _("Surnames in the other order"),
    "names_swapped": _("Given names and surnames swapped"),
    "nickname": _("Nickname or short form of the given name"),
    "initial": _("Given name written as an initial"),
    "second_surname_missing": _("One record lacks a surname"),
    "given_name_missing": _("One record lacks a given name"),
    "same_phone": _("Same phone number"),
    "same_email": _("Same email address"),
    # Evidence against a match.
    "different_given_names": _("Different given names"),
    "different_surnames": _("Different surnames"),
    "different_birth_date": _("Different date of birth"),
    "different_document": _("Different document number"),
    "different_sex": _("Different sex"),
}

# A pair is reported when its score reaches this: at 0.5 the evidence says "same person" at
# least as strongly as "not". On the test sets F1 peaks there too (bench/DEDUP.md); the desk
# hint may go lower to show more look-alikes, the merge report higher to show fewer.
DEFAULT_THRESHOLD = 0.5

# score_pair() returns None below this: no point in listing such a pair anywhere.
MIN_SCORE = 0.02

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------


def normalise_document(value: str) -> str:
    """Only letters and digits, uppercase: "470.521.567-25" -> "47052156725"."""
    return "".join(c for c in normalise_text(value) if c.isalnum()).upper()


def normalise_phone(value: str) -> str:
    """Digits only, last 9 kept: "+51 987 654 321" and "987654321" both give "987654321".

    Nine digits are the subscriber number in most of our countries with the country code and
    trunk prefix gone; shorter numbers (Bolivia, Paraguay landlines) are compared by suffix.
    """
    digits = "".join(c for c in value if c.isdigit())
    return digits[-9:]


def search_key(given_names: str, first_surname: str, second_surname: str) -> str:
    """The normalised full name in written order, for a DB column searched with LIKE/trigram."""
    parts = (
        normalise_text(given_names),
        normalise_text(first_surname),
        normalise_text(second_surname),
    )
    return " ".join(p for p in parts if p)


# Surname particles: "Montes de Oca", "da Silva", "Del Valle". Left out of token comparison
# because they are as often dropped, joined ("Dasilva") or capitalised differently as written.
_PARTICLES = frozenset(
    [
        "de",
        "del",
        "la",
        "las",
        "los",
        "da",
        "das",
        "do",
        "dos",
        "di",
        "du",
        "der",
        "van",
        "von",
        "y",
        "e",
        "i",
    ]
)

# Spanish and Portuguese hypocorisms: full name -> nicknames and short forms commonly used for it.
# General knowledge, not tuned on any test file; a nickname may belong to several names (Beto).
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "adolfo": ("fito",),
    "agustin": ("agus", "tin"),
    "alberto": ("beto", "tito"),
    "alejandra": ("ale", "alex", "jandra"),
    "alejandro": ("ale", "alex", "jando", "jano"),
    "alfonso": ("poncho", "fonso"),
    "alfredo": ("fredo", "fredy", "freddy"),
    "andres": ("andy",),
    "antonia": ("tona", "toni", "tonha"),
    "antonio": ("tono", "tonho", "toni", "tony", "tonico"),
    "asuncion": ("asun", "chon"),
    "beatriz": ("bia", "bea", "betty"),
    "benjamin": ("benja",),
    "carlos": ("carlitos", "calo", "caco", "cacho"),
    "catalina": ("cata", "cati"),
    "catarina": ("cata", "cati", "catita"),
    "christian": ("cris", "chris"),
    "concepcion": ("concha", "conchi", "conchita", "chon"),
    "consuelo": ("chelo", "consu"),
    "cristian": ("cris",),
    "cristina": ("cris", "cristi", "tina"),
    "daniel": ("dani",),
    "daniela": ("dani",),
    "dolores": ("lola", "loli", "lolita"),
    "domingo": ("mingo",),
    "eduardo": ("lalo", "edu", "dudu"),
    "encarnacion": ("encarna", "chon"),
    "enrique": ("quique", "kike"),
    "ernesto": ("neto",),
    "esperanza": ("espe",),
    "eugenia": ("kena", "uge"),
    "federico": ("fede", "quico"),
    "fernanda": ("nanda", "fer"),
    "fernando": ("nando", "fer"),
    "francisca": ("paca", "paquita", "pancha", "chica", "quica", "fran"),
    "francisco": (
        "paco",
        "paquito",
        "pancho",
        "curro",
        "quico",
        "kiko",
        "chico",
        "chicho",
        "fran",
        "xico",
    ),
    "gabriel": ("gabi", "gabo"),
    "gabriela": ("gabi", "gaby"),
    "gilberto": ("beto", "gil"),
    "gonzalo": ("chalo",),
    "graciela": ("chela",),
    "gregorio": ("goyo",),
    "guadalupe": ("lupe", "lupita"),
    "guilherme": ("gui",),
    "guillermo": ("memo", "guille"),
    "henrique": ("rique",),
    "heriberto": ("beto",),
    "hipolito": ("polo",),
    "humberto": ("beto",),
    "ignacio": ("nacho", "inaki"),
    "inmaculada": ("inma",),
    "isabel": ("chabela", "chavela", "isa", "bela", "chabe"),
    "javier": ("javi",),
    "jesus": ("chuy", "chucho", "chus"),
    "joao": ("joca", "joaozinho"),
    "jorge": ("coco", "koki"),
    "jose": ("pepe", "pepito", "chepe", "cheo", "chema", "ze", "zeca", "zezinho"),
    "josefa": ("pepa", "pepita", "chepa", "fina"),
    "josefina": ("pepa", "pepita", "chepa", "fina"),
    "juan": ("juancho", "juanito"),
    "juana": ("juanita",),
    "leonardo": ("leo",),
    "leopoldo": ("polo",),
    "leticia": ("leti",),
    "lucia": ("luchi",),
    "luis": ("lucho", "luisito"),
    "manuel": ("manolo", "manu", "lolo"),
    "manuela": ("manu", "manola", "manoli"),
    "margarita": ("marga", "magui", "rita", "margot"),
    "maria": ("mari", "maru", "mary"),
    "maximiliano": ("maxi", "max"),
    "mercedes": ("meche", "merche", "mecha", "mechi"),
    "milagros": ("mila",),
    "montserrat": ("montse",),
    "norberto": ("beto",),
    "patricia": ("paty", "patty", "pati", "patri"),
    "pedro": ("pedrinho", "perico"),
    "purificacion": ("puri",),
    "rafael": ("rafa",),
    "ramon": ("moncho",),
    "remedios": ("reme",),
    "ricardo": ("richi",),
    "roberto": ("beto", "rober", "tito"),
    "rodolfo": ("fito", "rudy"),
    "rodrigo": ("rodri", "digo"),
    "rosario": ("charo", "chayo"),
    "salvador": ("chava", "salva"),
    "santiago": ("santi", "chago"),
    "sebastian": ("sebas", "seba"),
    "socorro": ("coco",),
    "soledad": ("sole", "chole"),
    "susana": ("susi",),
    "teresa": ("tere", "techa"),
    "trinidad": ("trini",),
    "valentina": ("vale", "tina"),
    "vicente": ("chente",),
    "victoria": ("vicky", "viki"),
    "vitoria": ("vivi", "vicky"),
    "yolanda": ("yoli",),
}


def _build_nickname_groups() -> tuple[dict[str, frozenset[int]], list[tuple[str, ...]]]:
    """token -> ids of the name groups it belongs to; group id -> its members."""
    groups: list[tuple[str, ...]] = []
    member_of: dict[str, set[int]] = defaultdict(set)
    for gid, (name, nicks) in enumerate(sorted(_NICKNAMES.items())):
        members = (name, *nicks)
        groups.append(members)
        for token in members:
            member_of[token].add(gid)
    return {t: frozenset(g) for t, g in member_of.items()}, groups


_NICK_GROUPS, _GROUP_MEMBERS = _build_nickname_groups()

# A rough Spanish/Portuguese sound-alike code: letters that are written differently but sound
# alike (or are commonly confused when typing a name heard at a desk) get one spelling.
_PHONETIC_RULES = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"[cs]h"), "x"),
    (re.compile(r"ll"), "y"),
    (re.compile(r"qu"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"g(?=[eiy])"), "j"),  # before the next rule, so "gue" stays a hard g
    (re.compile(r"gu(?=[ei])"), "g"),
    (re.compile(r"[ckq]"), "k"),
    (re.compile(r"z"), "s"),
    (re.compile(r"[vw]"), "b"),
    (re.compile(r"h"), ""),
    (re.compile(r"y"), "i"),
    (re.compile(r"m$"), "n"),
    (re.compile(r"(.)\1+"), r"\1"),
]
_VOWELS = re.compile(r"[aeiou]")


@lru_cache(maxsize=65_536)
def _phonetic(token: str) -> str:
    for pattern, replacement in _PHONETIC_RULES:
        token = pattern.sub(replacement, token)
    return token


@lru_cache(maxsize=65_536)
def _skeleton(token: str) -> str:
    """First sound then consonants only, at most 5 characters: a typo-tolerant blocking code.

    "quispe" -> "ksp", "yupanqui" -> "ipnk", "gonzalez" -> "gnsls".
    """
    code = _phonetic(token)
    if not code:
        return ""
    skeleton = code[0] + _VOWELS.sub("", code[1:])
    return re.sub(r"(.)\1+", r"\1", skeleton)[:5]


def _canonical_given(token: str) -> str:
    """The full name a nickname stands for ("pepe" -> "jose"), or the token itself."""
    groups = _NICK_GROUPS.get(token)
    if not groups:
        return token
    return _GROUP_MEMBERS[min(groups)][0]


# --------------------------------------------------------------------------------------------
# Prepared records: everything a comparison needs, computed once per record
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Prepared:
    key: str
    given: tuple[str, ...]  # given-name tokens, particles removed
    surnames: tuple[str, ...]  # surname tokens of both surnames, particles removed
    surname_joined: str  # all surname tokens, particles included, without spaces
    sex: str
    year: int | None
    month: int | None
    day: int | None
    documents: tuple[str, ...]  # normalise_document() of each
    document_cores: tuple[str, ...]  # _document_core() of each
    phones: tuple[str, ...]  # normalise_phone() of each, at least 7 digits
    email: str
    sort_key: str  # orders records inside an oversized block


_SEXES = {"female": "female", "f": "female", "male": "male", "m": "male"}


def _tokens(normalised: str) -> tuple[str, ...]:
    # Interned: the same name in many records is then one string, in memory and in the caches.
    return tuple(sys.intern(t) for t in normalised.split() if t not in _PARTICLES)


def _valid_date_part(value: int | None, low: int, high: int) -> int | None:
    return value if value is not None and low <= value <= high else None


def _prepare(record: PersonRecord) -> _Prepared:
    given = normalise_text(record.given_names)
    surnames = f"{normalise_text(record.first_surname)} {normalise_text(record.second_surname)}"
    surnames = surnames.strip()
    documents = []
    for raw in record.document_numbers:
        doc = normalise_document(raw or "")
        if len(doc) >= 4 and doc not in documents:
            documents.append(doc)
    phones = []
    for raw in record.phones:
        phone = normalise_phone(raw or "")
        if len(phone) >= 7 and phone not in phones:
            phones.append(phone)
    year = _valid_date_part(record.birth_year, 1000, 9999)
    month = _valid_date_part(record.birth_month, 1, 12) if year else None
    day = _valid_date_part(record.birth_day, 1, 31) if month else None
    return _Prepared(
        key=record.key,
        given=_tokens(given),
        surnames=_tokens(surnames),
        surname_joined=surnames.replace(" ", ""),
        sex=_SEXES.get((record.sex or "").strip().lower(), ""),
        year=year,
        month=month,
        day=day,
        documents=tuple(documents),
        document_cores=tuple(_document_core(d) for d in documents),
        phones=tuple(phones),
        email=(record.email or "").strip().lower(),
        sort_key=f"{given} {surnames}|{year or ''}",
    )


# --------------------------------------------------------------------------------------------
# Blocking
# --------------------------------------------------------------------------------------------

MAX_KEYS = 10

# Bump whenever _keys_of(), the phonetic rules or the nickname table change what keys a record
# gets: the app stores the keys, and must recompute them all when this differs from its copy.
BLOCKING_KEYS_VERSION = 1


def _short_hash(value: str) -> str:
    return hashlib.blake2b(value.encode(), digest_size=6).hexdigest()


def _document_core(doc: str) -> str:
    """The digits of a document number when there are enough of them to identify it.

    Desks type the same identity card as "3246941", "3246941 OR" (Bolivian issuing department)
    or "12429942-K" (Chilean check character); the digits are what stays the same.
    """
    digits = "".join(c for c in doc if c.isdigit())
    return digits if len(digits) >= 5 else doc


def _keys_of(p: _Prepared) -> list[str]:
    """The blocking keys of a prepared record, most selective first, at most MAX_KEYS."""
    keys: list[str] = []

    def add(key: str) -> None:
        if key not in keys:
            keys.append(key)

    for core in p.document_cores[:2]:
        add("d:" + (core if len(core) <= 16 else _short_hash(core)))
    for phone in p.phones[:2]:
        add("p:" + phone[-7:])  # 7 digits: a suffix shared by local and international forms
    if p.email:
        add("e:" + _short_hash(p.email))
    if p.year and p.month and p.day:
        # Day and month sorted, so a day/month swap lands in the same block.
        low, high = sorted((p.month, p.day))
        add(f"b:{p.year:04d}{low:02d}{high:02d}")
    surname_codes = list(dict.fromkeys(s for s in (_skeleton(t) for t in p.surnames) if s))
    given_code = _skeleton(_canonical_given(p.given[0])) if p.given else ""
    # Given name + surname, in sorted order, so that a given name typed in the surname field
    # (and vice versa) still meets its twin record; nicknames are mapped to the full name first.
    # No birth date in these keys: they are what finds a record whose date is missing or wrong.
    for code in surname_codes[:2]:
        if given_code:
            add("n:" + ":".join(sorted((given_code, code))))
        elif not p.year:
            add("n:" + code)
    # Surname + birth year, for each surname (swapped or missing surnames): finds a record whose
    # given name is a nickname not in the table, or dropped, or typed with a typo.
    if p.year:
        for code in surname_codes[:3]:
            add(f"s:{code}:{p.year}")
    if len(surname_codes) >= 2:
        # Both surnames together, in sorted order, whatever the birth date and given name say:
        # finds a typo in the given name and in the birth year at once.
        add("ss:" + ":".join(sorted(surname_codes[:2])))
    return keys[:MAX_KEYS]


def blocking_keys(record: PersonRecord) -> set[str]:
    """Short keys such that two records of one person very likely share at least one.

    At most MAX_KEYS strings of at most 18 characters, deterministic, so the app can store them
    in an indexed table and pre-filter candidates: document digits ("d:…"), phone suffix ("p:…"),
    email hash ("e:…"), birth date with day and month sorted ("b:…"), given name + surname
    sound-alikes ("n:…"), surname sound-alike + birth year ("s:…") and both surnames ("ss:…").
    A record with no name, date, document or contact has none. Recompute the stored keys when
    BLOCKING_KEYS_VERSION changes.
    """
    return set(_keys_of(_prepare(record)))


# --------------------------------------------------------------------------------------------
# Comparing names
# --------------------------------------------------------------------------------------------

# Token similarity kinds, reported as reasons when they decide a match.
_EXACT, _NICK, _INITIAL, _SHORT, _FUZZY = "exact", "nickname", "initial", "short", "fuzzy"
_MIN_TOKEN_SIM = 0.80  # below this two tokens are different names

_sim_cache: dict[tuple[str, str], tuple[float, str]] = {}


def _token_similarity(x: str, y: str) -> tuple[float, str]:
    """Similarity of two name tokens in 0..1 and how they relate."""
    if x == y:
        return 1.0, _EXACT
    if x > y:
        x, y = y, x
    cached = _sim_cache.get((x, y))
    if cached is not None:
        return cached
    result = _token_similarity_uncached(x, y)
    if len(_sim_cache) >= 1_000_000:  # bound memory (150-200 MB) on huge runs
        _sim_cache.clear()
    _sim_cache[(x, y)] = result
    return result


def _token_similarity_uncached(x: str, y: str) -> tuple[float, str]:
    if len(x) == 1 or len(y) == 1:  # an initial: "A." for "Alejo"
        return (0.85, _INITIAL) if x[0] == y[0] else (0.0, _INITIAL)
    gx, gy = _NICK_GROUPS.get(x), _NICK_GROUPS.get(y)
    if gx and gy and gx & gy:
        return 0.95, _NICK
    jw = JaroWinkler.similarity(x, y)
    if jw >= 0.95:
        return jw, _FUZZY
    best, kind = jw, _FUZZY
    if jw >= 0.6 and _phonetic(x) == _phonetic(y):  # "Narsiso"/"Narciso", "Flórez"/"Flores"
        best = 0.95
    elif best < 0.84 and OSA.distance(x, y, score_cutoff=1) <= 1:
        # Jaro-Winkler is harsh on short names: "Aan"/"Ana", "Uam"/"Uma" are one typo apart.
        best = 0.84
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    if len(short) >= 3 and long_.startswith(short) and best < 0.9:  # "Gabi", "Sebas"
        best, kind = 0.9, _SHORT
    # A typo in a nickname ("Pyepe"): compare with the other token's nicknames.
    if best < 0.9:
        for token, groups in ((x, gy), (y, gx)):
            for gid in groups or ():
                for member in _GROUP_MEMBERS[gid]:
                    s = JaroWinkler.similarity(token, member) - 0.05
                    if s > best and s >= _MIN_TOKEN_SIM:
                        best, kind = s, _NICK
    return best, kind


def _grade(sim: float) -> float:
    """How much of a token's full weight a similarity earns: 1 at >= 0.95, 0 at the floor.

    Steep below 0.95, because different names are often that close (Paola/Paula 0.88,
    María/Martina 0.92) while one typo in a name usually stays above 0.94.
    """
    if sim >= 0.95:
        return 1.0
    if sim >= 0.90:
        return 0.6 + 0.4 * (sim - 0.90) / 0.05
    return max(0.0, 0.6 * (sim - _MIN_TOKEN_SIM) / 0.10)


@dataclass(slots=True)
class _Alignment:
    sims: list[float]  # similarity of each matched token pair, best first
    kinds: set[str]
    pairs: list[tuple[int, int]]  # (index in x, index in y) of matched pairs
    unmatched_x: int
    unmatched_y: int


def _align(xs: tuple[str, ...], ys: tuple[str, ...]) -> _Alignment:
    """Greedy one-to-one matching of name tokens, best pairs first, order ignored."""
    if len(xs) == 1 and len(ys) == 1:  # the common case, without the bookkeeping
        sim, kind = _token_similarity(xs[0], ys[0])
        if sim >= _MIN_TOKEN_SIM:
            return _Alignment([sim], {kind}, [(0, 0)], 0, 0)
        return _Alignment([], set(), [], 1, 1)
    candidates = []
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            sim, kind = _token_similarity(x, y)
            if sim >= _MIN_TOKEN_SIM:
                candidates.append((sim, i, j, kind))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_x: set[int] = set()
    used_y: set[int] = set()
    sims, kinds, pairs = [], set(), []
    for sim, i, j, kind in candidates:
        if i in used_x or j in used_y:
            continue
        used_x.add(i)
        used_y.add(j)
        sims.append(sim)
        kinds.add(kind)
        pairs.append((i, j))
    return _Alignment(sims, kinds, pairs, len(xs) - len(used_x), len(ys) - len(used_y))


# Evidence weights, in natural log-odds, per comparison feature. A candidate pair (one that
# shares a blocking key) starts at PRIOR and each feature that fires adds its weight times its
# value (1 for yes/no features; 0..1 for graded name tokens; a count for conflicts). The total
# goes through the logistic curve, so the score reads as a probability for a blocked pair.
#
# Where did the numbers come from? First from Fellegi-Sunter reasoning (how often does each
# agreement happen for the same person, and by chance). Then checked against an L2-regularised
# logistic regression fitted on the blocked pairs of febrl2 + latam0 (its value is the "fit"
# in the comments; a 2-fold cross-validation on latam0 moves it by ±0.5 at most). Most weights
# are that fit rounded. The ones marked "by hand" overrule it on purpose: the test generators
# do things desks do not (FEBRL replaces a person's whole given name or surname) or never do
# things returnees do (change phone number), and a national database has far more unrelated
# people sharing a birth date than these small files, so name disagreements must weigh more.
PRIOR = -2.0  # fit -1.8
WEIGHTS: dict[str, float] = {
    # Documents: a shared number is near-proof; a different one is only weak evidence against,
    # since a person can hold a passport and an identity card.
    "doc_same": 6.5,  # fit 6.3
    "doc_near": 3.0,  # one typo apart; fit 2.7
    "doc_diff": -2.0,  # fit -2.0
    # Birth date. Only moderately strong when equal, because twins share it.
    "date_same": 3.5,  # fit 3.4
    "date_swap": 2.0,  # day/month swapped; by hand between near and same (fit 0.4, few cases)
    "date_near": 1.0,  # one typo, or a year off by one, in one part; fit 1.1
    "date_day_month": 0.0,  # same day and month, year far off; fit -0.7, by hand 0
    "date_year": 0.5,  # one side knows only the year, and it is the same; no test data
    "date_diff": -3.0,  # fit -3.1
    # Contacts. Families share phones (see relative_like) and sometimes an email.
    "phone_same": 3.0,  # fit 3.1
    "phone_diff": -2.0,  # fit -2.8; by hand less, since returnees change numbers
    "email_same": 2.0,  # fit 1.8
    "sex_diff": -3.0,  # fit -1.9; by hand: a record's sex is rarely wrong
    # Given names, compared as a bag of tokens; _1.._3 are the matched tokens, best first.
    "given_1": 2.0,  # fit 2.0
    "given_2": 1.0,  # fit 1.0
    "given_3": 0.5,  # fit 0.9
    "given_conflict": -3.5,  # per name on both sides matching nothing; fit -1.8, by hand
    "given_none": -3.0,  # no given name matches: siblings, twins; fit -2.0, by hand
    "given_missing": -0.5,  # per name only one record has (dropped second name); fit -0.8
    # Surnames, both fields together as one bag of tokens. Candidate pairs already share a
    # surname or more, and siblings share both, so a second matching surname adds nothing.
    "surname_1": 1.5,  # fit 1.2
    "surname_2": 0.0,  # fit -0.7, floored at 0 by hand
    "surname_3": 0.0,  # fit 0.0
    "surname_conflict": -2.5,  # fit -2.6
    "surname_none": -3.5,  # fit -1.7; by hand (FEBRL replaces surnames, desks do not)
    "surname_none_both_two": -2.0,  # on top of surname_none; fit -1.7
    "surname_missing": -0.5,  # the second surname left out; fit -0.8
    "names_swapped": -0.5,  # given names read as surnames and vice versa; fit 0.1
    # Per birth date or phone shared by records whose surnames agree and given names do not:
    # what twins and siblings look like. Fit -0.3 (FEBRL's replaced given names again); by hand.
    "relative_like": -2.0,
}

Features = list[tuple[str, float]]


def _evidence(features: Features) -> float:
    return sum(WEIGHTS[name] * value for name, value in features)


def _field_features(xs: tuple[str, ...], ys: tuple[str, ...], field: str):
    """Features of one name field (given names or surnames) compared as bags of tokens."""
    if not xs or not ys:
        return [], None
    al = _align(xs, ys)
    if not al.sims:
        features = [(field + "_none", 1.0)]
        if field == "surname" and len(xs) >= 2 and len(ys) >= 2:
            # Both records carry two surnames and none is shared. A woman taking her husband's
            # surname (FEBRL's Australians) explains one differing surname, not two.
            features.append(("surname_none_both_two", 1.0))
        return features, al
    features: Features = [(f"{field}_{k + 1}", _grade(s)) for k, s in enumerate(al.sims[:3])]
    conflicts = min(al.unmatched_x, al.unmatched_y)
    missing = abs(al.unmatched_x - al.unmatched_y)
    if conflicts:
        features.append((field + "_conflict", float(conflicts)))
    if missing:
        features.append((field + "_missing", float(missing)))
    return features, al


def _surname_joined_match(a: _Prepared, b: _Prepared) -> bool:
    """Compound surnames written joined or split: "Dasilva"/"da Silva", "Montesdeoca"."""
    x, y = a.surname_joined, b.surname_joined
    if len(x) < 5 or len(y) < 5:
        return False
    if x == y:
        return True
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return long_.startswith(short) and len(short) >= 6


@dataclass(slots=True)
class _NameComparison:
    features: Features
    given: _Alignment | None
    surnames: _Alignment | None
    swapped: bool


def _name_features(a: _Prepared, b: _Prepared) -> _NameComparison:
    given_f, given_al = _field_features(a.given, b.given, "given")
    sur_f, sur_al = _field_features(a.surnames, b.surnames, "surname")
    unmatched = sur_al is not None and (sur_al.unmatched_x or sur_al.unmatched_y)
    if unmatched and _surname_joined_match(a, b):
        n = min(len(a.surnames), len(b.surnames), 3)
        joined: Features = [(f"surname_{k + 1}", 1.0) for k in range(n)]
        if _evidence(joined) > _evidence(sur_f):
            sur_f = joined
    straight = _evidence(given_f) + _evidence(sur_f)
    # Given names typed in the surname field and surnames in the given-name field (FEBRL does
    # this; so do desks copying foreign forms). Tried only when the straight reading is poor.
    if a.given and b.given and straight < WEIGHTS["given_1"] + WEIGHTS["surname_1"]:
        xg_f, xg_al = _field_features(a.given, b.surnames, "given")
        xs_f, xs_al = _field_features(a.surnames, b.given, "surname")
        crossed = [*xg_f, *xs_f, ("names_swapped", 1.0)]
        # Only a real swap counts: both crossed fields must match something (a lone fuzzy
        # match of a given name against a surname is more often chance than a swap).
        both_match = bool(xg_al and xg_al.sims and xs_al and xs_al.sims)
        if both_match and _evidence(crossed) > straight:
            return _NameComparison(crossed, xg_al, xs_al, True)
    return _NameComparison([*given_f, *sur_f], given_al, sur_al, False)


# --------------------------------------------------------------------------------------------
# Comparing dates, documents, contacts
# --------------------------------------------------------------------------------------------


def _one_typo(x: int, y: int, width: int) -> bool:
    """Two numbers one keystroke apart: a digit changed or two adjacent digits swapped."""
    return OSA.distance(f"{x:0{width}d}", f"{y:0{width}d}") <= 1


def _date_feature(a: _Prepared, b: _Prepared) -> str | None:
    """How two birth dates compare (a "date_*" feature), or None when one is unknown."""
    if not a.year or not b.year:
        return None
    year_near = a.year == b.year or abs(a.year - b.year) <= 1 or _one_typo(a.year, b.year, 4)
    if not (a.month and b.month and a.day and b.day):
        # At least one side knows only the year.
        if a.year == b.year:
            return "date_year"
        return None if year_near else "date_diff"
    ya, ma, da = a.year, a.month, a.day
    yb, mb, db = b.year, b.month, b.day
    if (ya, ma, da) == (yb, mb, db):
        return "date_same"
    if ya == yb and (ma, da) == (db, mb):
        return "date_swap"
    same = (ya == yb) + (ma == mb) + (da == db)
    if same == 2:
        # One part differs: a typo in it (or a year off by one) is a near match; a wholly
        # different year with the same day and month is weaker evidence.
        if (
            (ya != yb and year_near)
            or (ma != mb and _one_typo(ma, mb, 2))
            or (da != db and _one_typo(da, db, 2))
        ):
            return "date_near"
        return "date_day_month" if ya != yb else None
    if year_near and (ma, da) == (db, mb):  # day/month swapped and a year typo
        return "date_day_month"
    return "date_diff"


def _document_feature(a: _Prepared, b: _Prepared) -> str | None:
    """Same, one typo apart, or different documents ("doc_*"); None when one side has none.

    Check digits are not validated: a number that fails its check after a typo is still
    compared, and a typo is exactly what the one-edit "doc_near" is there to catch.
    """
    if not a.documents or not b.documents:
        return None
    near = False
    for x, cx in zip(a.documents, a.document_cores, strict=True):
        for y, cy in zip(b.documents, b.document_cores, strict=True):
            if x == y or cx == cy:
                return "doc_same"
            if min(len(x), len(y)) >= 5 and (
                OSA.distance(x, y, score_cutoff=1) <= 1 or OSA.distance(cx, cy, score_cutoff=1) <= 1
            ):
                near = True
    return "doc_near" if near else "doc_diff"


def _same_phone(x: str, y: str) -> bool:
    """Same number, one perhaps without country code: compare the shorter as a suffix."""
    return x.endswith(y) if len(x) >= len(y) else y.endswith(x)


def _record_features(a: _Prepared, b: _Prepared) -> Features:
    """Features from everything but the names: documents, birth date, contacts, sex."""
    features: Features = []
    for feature in (_document_feature(a, b), _date_feature(a, b)):
        if feature:
            features.append((feature, 1.0))
    if a.phones and b.phones:
        same = any(_same_phone(x, y) for x in a.phones for y in b.phones)
        features.append(("phone_same" if same else "phone_diff", 1.0))
    if a.email and a.email == b.email:
        features.append(("email_same", 1.0))
    if a.sex and b.sex and a.sex != b.sex:
        features.append(("sex_diff", 1.0))
    return features


def _add_name_features(features: Features, names: _NameComparison) -> Features:
    features = features + names.features
    # Relatives share surnames, and twins a birth date; families often share a phone. Once the
    # given names disagree, those agreements are what a sibling would show too, so each one
    # is partly taken back here instead of pretending, as plain Fellegi-Sunter does, that
    # the comparisons are independent.
    kinds = {name for name, _value in features}
    # "Disagree" includes a weak fuzzy likeness: Alexander/Alejandra, Lidia/Nidia.
    weak_given = any(name == "given_1" and value < 0.6 for name, value in features)
    disagree = weak_given or "given_none" in kinds or "given_conflict" in kinds
    if disagree and "surname_1" in kinds:
        shared = ("date_same" in kinds) + ("phone_same" in kinds)
        if shared:
            features.append(("relative_like", float(shared)))
    return features


def _features(a: _Prepared, b: _Prepared) -> tuple[Features, _NameComparison]:
    """Every comparison feature of a pair, and the name comparison behind the name features."""
    names = _name_features(a, b)
    return _add_name_features(_record_features(a, b), names), names


def _max_name_evidence() -> float:
    """The most the name comparison can add: an upper bound used to skip hopeless pairs."""
    positive = ("given_1", "given_2", "given_3", "surname_1", "surname_2", "surname_3")
    return sum(max(WEIGHTS[f], 0.0) for f in positive) + max(WEIGHTS["relative_like"], 0.0)


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------

# Features that are reasons of their own; name features are summarised separately.
_FEATURE_REASONS = {
    "doc_same": "same_document",
    "doc_near": "similar_document",
    "doc_diff": "different_document",
    "date_same": "same_birth_date",
    "date_swap": "birth_date_day_month_swapped",
    "date_near": "similar_birth_date",
    "date_year": "same_birth_year",
    "date_diff": "different_birth_date",
    "phone_same": "same_phone",
    "email_same": "same_email",
    "sex_diff": "different_sex",
    "given_none": "different_given_names",
    "given_conflict": "different_given_names",
    "surname_none": "different_surnames",
    "surname_conflict": "different_surnames",
}
_NAME_MATCH_FEATURES = frozenset(
    f"{field}_{k}" for field in ("given", "surname") for k in (1, 2, 3)
)


def _reasons(features: Features, names: _NameComparison) -> tuple[str, ...]:
    """Reason codes: supporting evidence strongest first, then evidence against."""
    weighted: list[tuple[str, float]] = []
    name_support = 0.0
    for name, value in features:
        contribution = WEIGHTS[name] * value
        if name in _NAME_MATCH_FEATURES:
            name_support += contribution
        elif name in _FEATURE_REASONS:
            weighted.append((_FEATURE_REASONS[name], contribution))
    if name_support > 0:
        exact = not names.swapped and all(
            al is None or (not al.unmatched_x and not al.unmatched_y and min(al.sims) == 1.0)
            for al in (names.given, names.surnames)
        )
        weighted.append(("same_names" if exact else "similar_names", name_support))
        # Descriptive codes saying how the names differ, after the main ones.
        if names.swapped:
            weighted.append(("names_swapped", 0.01))
        sur, given = names.surnames, names.given
        crossed_surnames = (
            sur is not None
            and not names.swapped
            and any(i > j for i, j in sur.pairs)
            and any(i < j for i, j in sur.pairs)
        )
        if crossed_surnames:
            weighted.append(("surnames_swapped", 0.01))
        if given is not None and given.sims:
            if _NICK in given.kinds or _SHORT in given.kinds:
                weighted.append(("nickname", 0.01))
            if _INITIAL in given.kinds:
                weighted.append(("initial", 0.005))
            if given.unmatched_x != given.unmatched_y:
                weighted.append(("given_name_missing", 0.001))
        if sur is not None and sur.sims and sur.unmatched_x != sur.unmatched_y:
            weighted.append(("second_surname_missing", 0.001))
    supporting = sorted((r for r in weighted if r[1] > 0), key=lambda r: -r[1])
    against = sorted((r for r in weighted if r[1] < 0), key=lambda r: r[1])
    return tuple(dict.fromkeys(code for code, _c in supporting + against))


def _logit(probability: float) -> float:
    probability = min(max(probability, 1e-9), 1 - 1e-9)
    return math.log(probability / (1 - probability))


def _score_prepared(a: _Prepared, b: _Prepared, prune_below: float | None = None) -> Match | None:
    """Score a pair; None when hopeless, or when the non-name evidence is below ``prune_below``.

    Names are the costly part of a comparison. Callers with a threshold pass
    ``prune_below = logit(threshold) - _max_name_evidence()``: below it, even identical names
    could not lift the pair over the threshold, so they are not compared at all.
    """
    features = _record_features(a, b)
    if prune_below is not None and PRIOR + _evidence(features) < prune_below:
        return None
    names = _name_features(a, b)
    features = _add_name_features(features, names)
    total = PRIOR + _evidence(features)
    score = 1.0 / (1.0 + math.exp(-total))
    if score < MIN_SCORE:
        return None
    first, second = (a.key, b.key) if a.key < b.key else (b.key, a.key)
    return Match(first, second, round(score, 4), _reasons(features, names))


def score_pair(a: PersonRecord, b: PersonRecord) -> Match | None:
    """How likely two records are the same person; None when clearly not (or same key)."""
    if a.key == b.key:
        return None
    return _score_prepared(_prepare(a), _prepare(b))


def _sort_matches(matches: list[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (-m.score, m.a, m.b))


def find_matches_for(
    candidate: PersonRecord,
    pool: Iterable[PersonRecord],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
) -> list[Match]:
    """Best matches of one new record against a (pre-filtered) pool, best first."""
    c = _prepare(candidate)
    prune_below = _logit(max(threshold, MIN_SCORE)) - _max_name_evidence()
    matches = []
    for record in pool:
        if record.key == candidate.key:
            continue
        match = _score_prepared(c, _prepare(record), prune_below)
        if match is not None and match.score >= threshold:
            matches.append(match)
    return _sort_matches(matches)[:limit]


# Blocks bigger than this (a very common surname born in a popular year, a shared office phone)
# are not compared all-against-all: records are sorted by name and each is compared with its
# _WINDOW neighbours on each side only (sorted neighbourhood), so a huge block costs O(n).
MAX_BLOCK = 150
_WINDOW = 30


def _candidate_pairs(prepared: list[_Prepared]) -> Iterable[tuple[int, int]]:
    """Index pairs (i < j) of records sharing a blocking key, each pair once.

    Generated record by record (the candidates of i are the j > i in its blocks), so memory is
    the block index plus one record's candidates, never the whole set of pairs.
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    record_keys: list[list[str]] = []
    for i, p in enumerate(prepared):
        keys = _keys_of(p)
        record_keys.append(keys)
        for key in keys:
            blocks[key].append(i)

    # Position of each record inside the oversized blocks it belongs to.
    positions: dict[str, dict[int, int]] = {}
    for key, members in blocks.items():
        if len(members) > MAX_BLOCK:
            members.sort(key=lambda i: (prepared[i].sort_key, i))
            positions[key] = {i: pos for pos, i in enumerate(members)}

    for i in range(len(prepared)):
        candidates: set[int] = set()
        for key in record_keys[i]:
            members = blocks[key]
            if len(members) == 1:
                continue
            if key in positions:
                pos = positions[key][i]
                window = members[max(0, pos - _WINDOW) : pos + _WINDOW + 1]
                candidates.update(j for j in window if j > i)
            else:
                candidates.update(j for j in members if j > i)
        for j in sorted(candidates):
            yield i, j


def find_duplicates(
    records: Iterable[PersonRecord], *, threshold: float = DEFAULT_THRESHOLD
) -> list[Match]:
    """Every pair scoring at least ``threshold``, best first, each pair once."""
    prepared = [_prepare(r) for r in records]
    prune_below = _logit(max(threshold, MIN_SCORE)) - _max_name_evidence()
    matches = []
    for i, j in _candidate_pairs(prepared):
        p, q = prepared[i], prepared[j]
        if p.key == q.key:
            continue
        match = _score_prepared(p, q, prune_below)
        if match is not None and match.score >= threshold:
            matches.append(match)
    return _sort_matches(matches)
