"""Read and check a customer portfolio file (CSV or XLSX) before anything is written.

The customer columns come first; the advisor and supervisor columns, when present, come
last. Headers are recognised in English or Spanish, with or without accents.

Problems are returned as :class:`Issue` objects (a code, a line, a column and parameters)
rather than as sentences, so that the Odoo wizard can word them in the user's language.
"""

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field

# canonical column -> accepted headers, already normalised (see normalize_header)
COLUMNS = {
    "name": (
        "name",
        "customer",
        "customer name",
        "nombre",
        "cliente",
        "nombre cliente",
        "nombre del cliente",
        "razon social",
    ),
    "ref": (
        "reference",
        "ref",
        "customer reference",
        "code",
        "customer code",
        "referencia",
        "codigo",
        "codigo cliente",
        "codigo del cliente",
    ),
    "vat": (
        "vat",
        "tax id",
        "rut",
        "ruc",
        "rfc",
        "nit",
        "nif",
        "identificacion fiscal",
    ),
    "email": ("email", "e-mail", "correo", "correo electronico"),
    "phone": ("phone", "telephone", "telefono"),
    "street": ("street", "address", "calle", "direccion"),
    "city": ("city", "ciudad"),
    "country": ("country", "country code", "pais", "codigo pais"),
    "advisor_first_name": (
        "advisor first name",
        "nombre asesor",
        "nombre del asesor",
        "asesor nombre",
    ),
    "advisor_last_name": (
        "advisor last name",
        "apellido asesor",
        "apellido del asesor",
        "asesor apellido",
    ),
    "advisor_phone": (
        "advisor phone",
        "telefono asesor",
        "telefono del asesor",
        "asesor telefono",
    ),
    "advisor_whatsapp": ("advisor whatsapp", "whatsapp asesor", "whatsapp del asesor"),
    "advisor_email": ("advisor email", "correo asesor", "correo del asesor"),
    "supervisor_first_name": (
        "supervisor first name",
        "nombre supervisor",
        "nombre del supervisor",
        "supervisor nombre",
    ),
    "supervisor_last_name": (
        "supervisor last name",
        "apellido supervisor",
        "apellido del supervisor",
        "supervisor apellido",
    ),
}
ADVISOR_COLUMNS = (
    "advisor_first_name",
    "advisor_last_name",
    "advisor_phone",
    "advisor_whatsapp",
    "advisor_email",
)
SUPERVISOR_COLUMNS = ("supervisor_first_name", "supervisor_last_name")
PHONE_COLUMNS = ("phone", "advisor_phone", "advisor_whatsapp")
EMAIL_COLUMNS = ("email", "advisor_email")
# free text stored as it is: a spreadsheet must not take it for a formula
TEXT_COLUMNS = (
    "name",
    "ref",
    "vat",
    "street",
    "city",
    "advisor_first_name",
    "advisor_last_name",
    "supervisor_first_name",
    "supervisor_last_name",
)
# what makes Excel, LibreOffice or Odoo's own XLSX export read a cell as a formula
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_EMAIL = re.compile(r"^[^\s@\"(),:;<>\[\]\\]+@[^\s@\"(),:;<>\[\]\\]+\.[^\s@\"(),:;<>\[\]\\.]+$")
_EMAIL_SEPARATORS = re.compile(r"\s*[,;]\s*")
_HEADER_TO_COLUMN = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
_SPACES = re.compile(r"[\s_]+")


@dataclass(frozen=True)
class Issue:
    """Why a file or a row is refused; ``line`` is the line in the file (1 = header)."""

    code: str
    line: int = 0
    column: str = ""
    params: tuple = ()


class PortfolioFileError(ValueError):
    """The file as a whole cannot be read; ``issue`` says why."""

    def __init__(self, issue):
        super().__init__(issue.code)
        self.issue = issue


@dataclass
class Row:
    line: int
    values: dict
    issues: list = field(default_factory=list)

    @property
    def key(self):
        """What identifies the customer within the file: reference, VAT, or name."""
        for column in ("ref", "vat"):
            if self.values.get(column):
                return (column, self.values[column].casefold())
        return ("name", (self.values.get("name") or "").casefold())

    @property
    def advisor_key(self):
        return _person_key(self.values, "advisor")

    @property
    def supervisor_key(self):
        return _person_key(self.values, "supervisor")


@dataclass
class Portfolio:
    columns: dict  # canonical column -> header as written in the file
    ignored_headers: list
    rows: list

    @property
    def has_advisor_columns(self):
        return any(column in self.columns for column in ADVISOR_COLUMNS)


def _person_key(values, role):
    first = values.get(f"{role}_first_name") or ""
    last = values.get(f"{role}_last_name") or ""
    if not (first and last):
        return None
    return (first.casefold(), last.casefold())


def normalize_header(header):
    """Lower-case, strip accents and collapse spaces and underscores."""
    text = unicodedata.normalize("NFKD", str(header or ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _SPACES.sub(" ", text).strip().casefold()


def normalize_key(text):
    """A comparison key for names and countries: see :func:`normalize_header`."""
    return normalize_header(text)


# Non-ASCII characters a customer file in Spanish (or another Western language) holds;
# text decoded as Windows-1252 with any other character was saved in another encoding.
_LATIN_TEXT = frozenset("áéíóúüñÁÉÍÓÚÜÑàèìòùÀÈÌÒÙâêîôûÂÊÎÔÛäëïöÄËÏÖçÇãõÃÕ¡¿ºª°«»€–—‘’“”•…·´\xa0")
# Three accented letters in a row, or a capital accented letter right after a small
# letter: how KOI8-R (Cyrillic) and similar encodings look when read as Windows-1252.
_GARBLED = re.compile(
    r"[^\x00-\x7f]{3}|[a-zà-ÿ][À-ÖØ-Þ]",
)
# C0 controls other than tab and line ends, and C1 controls
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_EMPTY_ROW = ()
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)


def _looks_latin(text):
    non_ascii = {char for char in text if ord(char) > 127}
    return non_ascii <= _LATIN_TEXT and not _GARBLED.search(text)


def _decode(content):
    """The file's text: UTF-8 (with or without BOM), UTF-16 with its BOM, or
    Windows-1252 when it reads as Spanish text; anything else is refused rather than
    imported as garbled names."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text": the BOM says exactly how to read it
        text = content.decode("utf-16")
    elif b"\x00" in content:
        raise UnicodeDecodeError("unknown", content, 0, 1, "NUL byte")
    else:
        try:
            text = content.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        except UnicodeDecodeError:
            # Excel in Latin America saves "CSV" in Windows-1252; decoding it strictly
            # still refuses bytes that mean nothing there, and what decodes must look
            # like Spanish: KOI8-R or Shift-JIS decode too, as nonsense.
            text = content.decode("cp1252")
            if not _looks_latin(text):
                raise UnicodeDecodeError("cp1252", content, 0, 1, "not Windows-1252 text") from None
    if _CONTROL.search(text):
        raise UnicodeDecodeError("unknown", content, 0, 1, "control characters")
    return text


def _read_csv(content):
    """Yield the rows of a CSV file, read once."""
    try:
        text = _decode(content)
    except UnicodeError as error:
        raise PortfolioFileError(Issue("encoding")) from error
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", ",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield [cell.strip() for cell in row]
    except csv.Error as error:
        # a cell longer than csv's field limit, or a quote never closed
        raise PortfolioFileError(Issue("csv_unreadable", params=(str(error),))) from error


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


# What a damaged workbook raises while it is opened or read: a broken zip or deflate
# stream, missing parts, XML that does not parse (lxml's and ElementTree's errors both
# derive from SyntaxError), values of the wrong type.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    OSError,
    SyntaxError,
)
# A workbook's XML compresses about tenfold; one that unpacks to more than this many
# times its size is built to exhaust the server (a "zip bomb"), not to list customers.
XLSX_MAX_UNPACK_RATIO = 40


def _check_unpacked_size(content, max_bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except _XLSX_ERRORS as error:
        raise PortfolioFileError(Issue("unreadable")) from error
    if unpacked > max_bytes * XLSX_MAX_UNPACK_RATIO:
        raise PortfolioFileError(Issue("too_large", params=(unpacked, max_bytes)))


def _read_xlsx(content):
    """Yield the rows of the workbook's first sheet, streamed once (read-only mode)."""
    # imported here so that reading a CSV never needs openpyxl
    import openpyxl  # pylint: disable=import-outside-toplevel

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except _XLSX_ERRORS as error:
        raise PortfolioFileError(Issue("unreadable")) from error
    try:
        if not workbook.worksheets:
            raise PortfolioFileError(Issue("no_sheet"))
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                values = next(rows, None)
            except _XLSX_ERRORS as error:
                raise PortfolioFileError(Issue("unreadable")) from error
            if values is None:
                return
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def read_table(content, file_name="", max_rows=None, max_bytes=None):
    """Return the file's rows as lists of stripped strings (header first).

    The file is read once, row by row, and reading stops at the first row beyond
    ``max_rows`` customer rows (empty rows are not counted).

    Raises :class:`PortfolioFileError` for an empty, unreadable or undecodable file, one
    of more than ``max_bytes`` bytes (``too_large``, params ``(size, max_bytes)``) or
    more than ``max_rows`` rows (``too_many_rows``, params ``(max_rows,)``).
    """
    if max_bytes and len(content or b"") > max_bytes:
        raise PortfolioFileError(Issue("too_large", params=(len(content), max_bytes)))
    if not content or not content.strip():
        raise PortfolioFileError(Issue("empty"))
    if content.startswith(_OLE_MAGIC):
        raise PortfolioFileError(Issue("xls"))
    is_xlsx = (file_name or "").lower().endswith((".xlsx", ".xlsm")) or content.startswith(
        b"PK\x03\x04"
    )
    if is_xlsx and max_bytes:
        _check_unpacked_size(content, max_bytes)
    rows = _read_xlsx(content) if is_xlsx else _read_csv(content)
    table, filled = [], -1  # the header is no customer row
    try:
        for row in rows:
            if not any(row):
                # one shared empty row: a sheet can hold a million formatted, empty rows
                table.append(_EMPTY_ROW)
                continue
            filled += 1
            if max_rows is not None and filled > max_rows:
                raise PortfolioFileError(Issue("too_many_rows", params=(max_rows,)))
            table.append(row)
    finally:
        rows.close()
    while table and not any(table[-1]):
        table.pop()
    if len(table) < 2:
        raise PortfolioFileError(Issue("empty"))
    return table


def map_headers(headers):
    """Return ``(columns, ignored)``: canonical column -> index, and unknown headers."""
    columns, ignored = {}, []
    for index, header in enumerate(headers):
        column = _HEADER_TO_COLUMN.get(normalize_header(header))
        if column is None:
            if header:
                ignored.append(header)
            continue
        if column in columns:
            raise PortfolioFileError(Issue("duplicate_column", 1, header))
        columns[column] = index
    if "name" not in columns:
        raise PortfolioFileError(Issue("no_name_column", 1))
    return columns, ignored


def parse_portfolio(table, normalize_phone, default_region=None, countries=None):
    """Check every row of ``table`` (as returned by :func:`read_table`).

    :param normalize_phone: ``f(number, region) -> E.164 string``, raising ``ValueError``
        with a reason for a number it refuses.
    :param default_region: ISO country code used for numbers of rows without a country.
    :param countries: normalised country name or code -> ISO code.
    """
    headers, *data = table
    columns, ignored = map_headers(headers)
    countries = countries or {}
    phone_cache = {}
    first_line_of = {}
    rows = []
    for offset, cells in enumerate(data):
        line = offset + 2
        if not any(cells):
            continue
        values = {
            column: cells[index].strip() if index < len(cells) else ""
            for column, index in columns.items()
        }
        row = Row(line, values)
        rows.append(row)
        _check_row(row, columns, countries, default_region, normalize_phone, phone_cache)
        if not values.get("name"):
            continue
        key = row.key
        if key in first_line_of:
            row.issues.append(Issue("duplicate", line, "", (first_line_of[key],)))
        else:
            first_line_of[key] = line
    header_of = {column: headers[index] for column, index in columns.items()}
    return Portfolio(header_of, ignored, rows)


def neutralize_formula(text):
    """``text`` made inert for spreadsheets, as OWASP advises against CSV injection.

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is what
    Excel runs as a formula (``=HYPERLINK(...)``) once the customers are exported: it is
    kept, behind an apostrophe, which spreadsheets read as "this is text".
    """
    if text and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def normalize_emails(text):
    """The addresses of a cell (several separated by commas or semicolons), joined by
    ", "; ``None`` when one of them is no email address."""
    addresses = [address for address in _EMAIL_SEPARATORS.split(text.strip()) if address]
    if not addresses or not all(
        _EMAIL.match(address) and not address.startswith(FORMULA_TRIGGERS) for address in addresses
    ):
        return None
    return ", ".join(addresses)


def _check_row(row, columns, countries, default_region, normalize_phone, phone_cache):
    values, line = row.values, row.line
    for column in TEXT_COLUMNS:
        if values.get(column):
            values[column] = neutralize_formula(values[column])
    for column in EMAIL_COLUMNS:
        if values.get(column):
            emails = normalize_emails(values[column])
            if emails is None:
                row.issues.append(Issue("email_invalid", line, column, (values[column],)))
            else:
                values[column] = emails
    if not values.get("name"):
        row.issues.append(Issue("name_missing", line, "name"))
    region = default_region
    if values.get("country"):
        region = countries.get(normalize_key(values["country"]))
        if not region:
            row.issues.append(Issue("country_unknown", line, "country", (values["country"],)))
            region = default_region
        values["country"] = region
    for column in PHONE_COLUMNS:
        number = values.get(column)
        if not number:
            continue
        cache_key = (number, region)
        if cache_key not in phone_cache:
            try:
                phone_cache[cache_key] = (normalize_phone(number, region), None)
            except ValueError as error:
                phone_cache[cache_key] = (None, str(error))
        formatted, reason = phone_cache[cache_key]
        if reason is not None:
            row.issues.append(Issue("phone_invalid", line, column, (number, reason)))
        else:
            values[column] = formatted
    _check_person(row, "advisor", ADVISOR_COLUMNS)
    _check_person(row, "supervisor", SUPERVISOR_COLUMNS)
    if row.supervisor_key and not row.advisor_key:
        row.issues.append(Issue("supervisor_without_advisor", line, "supervisor_first_name"))


def _check_person(row, role, person_columns):
    values = row.values
    if not any(values.get(column) for column in person_columns):
        return
    for part in ("first_name", "last_name"):
        column = f"{role}_{part}"
        if not values.get(column):
            row.issues.append(Issue(f"{role}_incomplete", row.line, column))
