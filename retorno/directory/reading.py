"""Reading a directory file: HSDS JSON or CSV, recognised by its first character.

Apart from `exchange.py` (the records both formats read into), so that `hsds.py` and
`tabular.py` import `exchange` and not the other way round.
"""

from django.utils.translation import gettext_lazy as _

from retorno.directory import hsds, tabular
from retorno.directory.exchange import MAX_BYTES, Dataset, FileError


def read_file(name: str, content: bytes, country: str) -> Dataset:
    """A Dataset from a CSV or HSDS JSON file, recognised by its first character."""
    if len(content) > MAX_BYTES:
        raise FileError(_("The file must be smaller than 10 MB"))
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return hsds.read(content, country)
    return tabular.read(content, country)
