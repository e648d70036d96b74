"""English left on a page of another language: the catalogue's English source strings, looked for
in what a user sees or hears, plus what a browser test watches on every page (console errors,
date fields the browser emptied, typed values a form lost).

The needles are every msgid that the language's catalogue translates differently (ours, and the
vendors' Django, allauth and country names through Django's merged catalogue), plus the English
names the demo gives its desks. To avoid false alarms a needle must match whole words, have at
least three letters outside its placeholders, and not be a phrase the language itself uses (a
msgid found inside any of the language's own translations, like "Total" or "Email", is skipped).
A match inside what the test typed or a proper name does not count, and elements marked with
another `lang` are not read (the language switcher's "English" is right there). English that
never went through the catalogue is caught by words no Italian, Spanish or Portuguese sentence
has ("the", "with", "your"...).
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"

# English names of desks, as the demo stores them (retorno/demo/foundation.py): data, not
# catalogue strings, yet English on every page of every language until translated.
DEMO_DESK_NAMES = [
    "Milan desk",
    "Madrid desk",
    "Lisbon desk",
    "La Paz national desk",
    "Brasília national desk",
    "Santiago national desk",
    "Bogotá national desk",
    "Quito national desk",
    "Asunción national desk",
    "Lima national desk",
    "Montevideo national desk",
    "Programme coordination",
]

PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}")
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")
LETTER = re.compile(r"[^\W\d_]")

# What a user sees or hears on the page: the rendered text, the page title, and the words in
# attributes (accessible names, placeholders, alternatives, the "Saving…" a button will show).
# Elements in another language (lang="en" on the switcher's "English") are left out.
VISIBLE_TEXT_JS = """() => {
  const lang = (document.documentElement.lang || '').split('-')[0];
  const foreign = el => {
    const owner = el.closest('[lang]');
    return owner && owner !== document.documentElement
      && owner.getAttribute('lang').split('-')[0] !== lang;
  };
  let text = document.body.innerText;
  for (const el of document.body.querySelectorAll('[lang]')) {
    if (foreign(el) && el.innerText) text = text.replace(el.innerText, ' ');
  }
  const parts = [document.title, text];
  for (const select of document.querySelectorAll('select')) {
    if (!foreign(select)) for (const o of select.options) parts.push(o.text);
  }
  const attrs = ['aria-label', 'placeholder', 'alt', 'title', 'data-saving', 'aria-description'];
  for (const el of document.querySelectorAll(attrs.map(a => '[' + a + ']').join(','))) {
    if (foreign(el)) continue;
    for (const a of attrs) if (el.hasAttribute(a)) parts.push(el.getAttribute(a));
  }
  for (const el of document.querySelectorAll('input[type=submit], input[type=button]')) {
    if (!foreign(el)) parts.push(el.value);
  }
  return {lang: document.documentElement.lang, text: parts.join('\\n')};
}"""

# A date input whose value the server wrote but the browser refused shows empty (the browser
# accepts ISO dates only): the user sees a blank field where a date was meant to be.
EMPTIED_DATES_JS = """() => Array.from(document.querySelectorAll(
    'input[type=date], input[type=datetime-local], input[type=time], input[type=month]'))
  .filter(i => i.getAttribute('value') && !i.value)
  .map(i => (i.id || i.name) + ': "' + i.getAttribute('value') + '"')"""


@dataclass(frozen=True)
class Needle:
    msgid: str
    pattern: re.Pattern
    pieces: tuple[str, ...]  # its literal parts, for a quick look before the regular expression

    def search(self, text: str):
        if all(piece in text for piece in self.pieces):
            return self.pattern.search(text)
        return None

    def finditer(self, text: str):
        if all(piece in text for piece in self.pieces):
            yield from self.pattern.finditer(text)
        return


def _normal(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), body)


def plural_entries(po_file: Path) -> list[tuple[str, str]]:
    """(English plural, its translations) of a .po file: compiled catalogues drop msgid_plural."""
    entries, current, key = [], {}, None
    for raw in [*po_file.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if "msgid_plural" in current:
                translations = " ".join(v for k, v in current.items() if k.startswith("msgstr"))
                entries.append((current["msgid_plural"], translations))
            current, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and key:
            current[key] += _unquote(line)
        else:
            key = line.split(" ", 1)[0]
            current[key] = _unquote(line)
    return entries


def _needle(msgid: str) -> Needle | None:
    text = _normal(TAG.sub(" ", msgid.replace("%%", "%")))
    literal = PLACEHOLDER.sub("", text)
    if len(LETTER.findall(literal)) < 3:
        return None
    pieces = PLACEHOLDER.split(text)
    body = r".{1,80}?".join(re.escape(piece) for piece in pieces)
    # Whole words only: the needle must not start or end inside a word of the page.
    start = r"(?<!\w)" if LETTER.match(text[0]) or text[0].isdigit() else ""
    end = r"(?!\w)" if text[-1].isalnum() else ""
    return Needle(msgid, re.compile(start + body + end), tuple(p.strip() for p in pieces if p))


@functools.cache
def needles(language: str) -> tuple[Needle, ...]:
    """The English strings that should not appear on a page in `language`."""
    from django.utils.translation import trans_real

    catalogue = trans_real.translation(language)._catalog
    pairs = []
    for key, translation in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if isinstance(key, tuple) and key[1] != 0:
            continue
        pairs.append((msgid, translation))
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    if po.exists():
        pairs += plural_entries(po)
    pairs += [(name, "") for name in DEMO_DESK_NAMES]
    own_words = " \n ".join(_normal(TAG.sub(" ", str(t))) for _m, t in pairs if t)
    found = {}
    for msgid, translation in pairs:
        if not msgid or _normal(msgid).lower() == _normal(str(translation)).lower():
            continue
        needle = _needle(msgid)
        if needle is None or msgid in found or needle.search(own_words):
            continue
        found[msgid] = needle
    return tuple(found.values())


# Words that no sentence of Italian, Spanish or Portuguese has: English written into a template
# or code without going through the catalogue shows itself by them.
ENGLISH_WORDS = re.compile(
    r"(?<!\w)(?:the|and|with|your|you|this|that|from|is|are|was|has|have|will|been|which|"
    r"their|they|should|would|could|must|what|when|there)(?!\w)",
    re.IGNORECASE,
)


def _spans(text: str, strings) -> list[tuple[int, int]]:
    spans = []
    for data in {_normal(s) for s in strings if s and _normal(s)}:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(data), text)]
    return spans


def english_in(text: str, language: str, *, ignore=()) -> list[str]:
    """Every English catalogue string found in `text`, with where it was found. `ignore` lists
    what the user typed and proper names: a match inside one of them does not count."""
    text = _normal(text)
    ignored = _spans(text, ignore)
    hits = []
    for needle in needles(language):
        for match in needle.finditer(text):
            hits.append((match.start(), match.end(), needle.msgid))
    hits += [(m.start(), m.end(), "") for m in ENGLISH_WORDS.finditer(text)]

    def inside(start, end, spans):
        return any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)

    # A longer needle's match holds its shorter ones ("Save entry" holds "Save"): keep the longer.
    spans = [(s, e) for s, e, _m in hits]
    found = {}
    for start, end, msgid in sorted(hits):
        if inside(start, end, spans) or any(s <= start and end <= e for s, e in ignored):
            continue
        before, after = text[max(0, start - 30) : start], text[end : end + 30]
        where = f'"…{before}[{text[start:end]}]{after}…"'
        key = (
            f'"{msgid}"'
            if msgid
            else f'an English word not from the catalogue, "{text[start:end]}"'
        )
        found.setdefault(key, f"{key} in {where}")
    return list(found.values())


def english_on_page(page, language: str, *, ignore=()) -> list[str]:
    seen = page.evaluate(VISIBLE_TEXT_JS)
    problems = []
    if seen["lang"] != language:
        problems.append(f'the page is in "{seen["lang"]}", not "{language}"')
    return problems + english_in(seen["text"], language, ignore=ignore)


def emptied_dates(page) -> list[str]:
    return page.evaluate(EMPTIED_DATES_JS)


class Watch:
    """Collects what goes wrong on the pages of a walk, so one run reports every problem.

    `check(step)` looks at the current page: console errors and uncaught exceptions since the
    last check, English in a non-English run, date fields shown empty. `typed()` fills fields and
    remembers them; `kept()` says which of them a re-rendered form lost.
    """

    def __init__(self, page, language: str, *, ignore=()):
        self.page = page
        self.language = language
        self.ignore = list(ignore)
        self.problems: list[str] = []
        self.seen: dict[str, tuple[str, list[str]]] = {}
        self.console: list[str] = []
        self.expected_errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))

    def _console(self, message):
        if message.type == "error":
            url = message.location.get("url", "") if message.location else ""
            self.console.append(f"console error: {message.text}" + (f" ({url})" if url else ""))

    def expect_console_error(self, text: str):
        """A page answered with an error status on purpose (a 404 the test asks for)."""
        self.expected_errors.append(text)

    def problem(self, step: str, what: str):
        """Records a problem; the same one on several pages is listed once, with its pages."""
        key = what.split(' in "…')[0]
        if key not in self.seen:
            self.seen[key] = (what, [])
            self.problems.append(key)
        self.seen[key][1].append(step)

    def check(self, step: str):
        self.page.wait_for_load_state()
        for message in self.console:
            if not any(expected in message for expected in self.expected_errors):
                self.problem(step, message)
        self.console.clear()
        self.expected_errors.clear()
        for found in english_on_page(self.page, self.language, ignore=self.ignore):
            if found.startswith("the page is in"):
                self.problem(step, found)
            elif self.language != "en":
                self.problem(step, f"English on the page: {found}")
        for field in emptied_dates(self.page):
            self.problem(step, f"date field shown empty although the page filled it: {field}")

    def typed(self, values: dict[str, str]) -> dict[str, str]:
        """Fills text fields and selects by selector; the values are user data, not English."""
        for selector, value in values.items():
            if self.page.locator(selector).evaluate("e => e.tagName") == "SELECT":
                self.page.select_option(selector, value)
            else:
                self.page.fill(selector, value)
            self.ignore.append(value)
        return values

    def kept(self, step: str, values: dict[str, str], checked=()):
        for selector, value in values.items():
            shown = self.page.input_value(selector)
            if shown != value:
                self.problem(
                    step, f"the form lost what was typed in {selector}: {value!r} is now {shown!r}"
                )
        for selector in checked:
            if not self.page.is_checked(selector):
                self.problem(step, f"the form lost the choice {selector}")

    def report(self) -> str:
        lines = []
        for key in self.problems:
            what, steps = self.seen[key]
            pages = ", ".join(dict.fromkeys(steps))
            lines.append(f"[{self.language}] {what}\n      at: {pages}")
        return "\n".join(lines)
