import io
import re
import zipfile

import pytest

HEADER = "name,reference,vat,country,advisor first name,advisor last name,advisor phone"


def table(portfolio_file, text, encoding="utf-8", file_name="f.csv"):
    return portfolio_file.read_table(text.encode(encoding), file_name)


def parse(portfolio_file, normalize_phone, text):
    return portfolio_file.parse_portfolio(
        table(portfolio_file, text),
        normalize_phone,
        default_region="CL",
        countries={"cl": "CL", "chile": "CL", "pe": "PE", "peru": "PE"},
    )


def codes(row):
    return [issue.code for issue in row.issues]


def test_headers_in_english_and_spanish(portfolio_file):
    columns, ignored = portfolio_file.map_headers(
        ["Razón Social", "RUT", "Teléfono del Asesor", "NOMBRE_ASESOR", "Notas"]
    )
    assert columns == {"name": 0, "vat": 1, "advisor_phone": 2, "advisor_first_name": 3}
    assert ignored == ["Notas"]


def test_header_problems(portfolio_file):
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.map_headers(["reference", "vat"])
    assert error.value.issue.code == "no_name_column"
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.map_headers(["name", "Nombre"])
    assert error.value.issue.code == "duplicate_column"


@pytest.mark.parametrize(
    "encoding,separator",
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-16", "\t")],
)
def test_csv_encodings_and_separators(portfolio_file, encoding, separator):
    text = f"name{separator}city\nViña Santa Emilia{separator}Curicó\n"
    assert table(portfolio_file, text, encoding) == [
        ["name", "city"],
        ["Viña Santa Emilia", "Curicó"],
    ]


@pytest.mark.parametrize(
    "content,code",
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"name,city\n", "empty"),
        ("name\nViña".encode("utf-16-le"), "encoding"),
        (b"name\n\x81\x8d\x8f", "encoding"),
    ],
)
def test_unreadable_csv(portfolio_file, content, code):
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.read_table(content, "f.csv")
    assert error.value.issue.code == code


def test_xlsx(portfolio_file):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nombre", "Código", "Monto"])
    workbook.active.append(["Café Villa Rica", 1001, 12.5])
    workbook.active.append([None, None, None])
    content = io.BytesIO()
    workbook.save(content)
    assert portfolio_file.read_table(content.getvalue(), "cartera.xlsx") == [
        ["Nombre", "Código", "Monto"],
        ["Café Villa Rica", "1001", "12.5"],
    ]
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.read_table(b"PK\x03\x04broken", "cartera.xlsx")
    assert error.value.issue.code == "unreadable"


def test_rows_checked(portfolio_file, normalize_phone):
    text = "\n".join(
        [
            HEADER + ",supervisor first name,supervisor last name",
            "Andes SpA,A1,,CL,Bruno,Soto,9 6123 4501,Ana,Pérez",
            ",A2,,,,,,,",
            "Inca SAC,A3,,Peru,Lucía,Flores,912 345 601,,",
            "Andes Dos,A1,,,,,,,",
            "Sin Asesor,A4,,,,,,Ana,",
            "Mal Número,A5,,,Bruno,Soto,12ab,,",
            "Narnia SA,A6,,Narnia,,,,,",
            "Solo Nombre,A7,,,Rosa,,,,",
            "Solo Supervisor,A8,,,,,,Ana,Pérez",
        ]
    )
    portfolio = parse(portfolio_file, normalize_phone, text)
    rows = {}
    for row in portfolio.rows:
        rows.setdefault(row.values["ref"], row)
    assert portfolio.has_advisor_columns
    assert codes(rows["A1"]) == [] and rows["A1"].values["advisor_phone"] == "+56961234501"
    assert rows["A1"].advisor_key == ("bruno", "soto")
    assert rows["A1"].supervisor_key == ("ana", "pérez")
    assert codes(rows["A2"]) == ["name_missing"]
    assert rows["A3"].values["advisor_phone"] == "+51912345601"
    assert rows["A3"].values["country"] == "PE"
    duplicate = portfolio.rows[3]
    assert codes(duplicate) == ["duplicate"] and duplicate.issues[0].params == (2,)
    assert codes(rows["A4"]) == ["supervisor_incomplete"]
    assert codes(rows["A8"]) == ["supervisor_without_advisor"]
    bad_phone = rows["A5"].issues[0]
    assert (bad_phone.code, bad_phone.line, bad_phone.column) == (
        "phone_invalid",
        7,
        "advisor_phone",
    )
    assert codes(rows["A6"]) == ["country_unknown"]
    assert codes(rows["A7"]) == ["advisor_incomplete"]


def test_file_without_advisor_columns(portfolio_file, normalize_phone):
    portfolio = parse(portfolio_file, normalize_phone, "name,vat\nAndes SpA,76111111-1\n")
    assert not portfolio.has_advisor_columns
    assert portfolio.rows[0].key == ("vat", "76111111-1")
    assert portfolio.rows[0].advisor_key is None


def test_fifty_thousand_rows(portfolio_file, normalize_phone):
    lines = [HEADER] + [
        f"Cliente {i},R{i},,CL,Asesor{i % 40},Apellido,9 6123 {4000 + i % 40}" for i in range(50000)
    ]
    portfolio = parse(portfolio_file, normalize_phone, "\n".join(lines))
    assert len(portfolio.rows) == 50000
    assert not any(row.issues for row in portfolio.rows)
    assert len({row.advisor_key for row in portfolio.rows}) == 40


SPANISH = "name,city\nIbáñez y Peña Ltda.,Ñuñoa\nMUÑOZ HNOS. «Güemes»,Peñalolén\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_spanish_text_in_accepted_encodings(portfolio_file, encoding):
    assert table(portfolio_file, SPANISH, encoding)[2] == ["MUÑOZ HNOS. «Güemes»", "Peñalolén"]


@pytest.mark.parametrize(
    "text,encoding",
    [
        ("name,city\nИванов Сергей,Москва\nАнна,Омск\n", "koi8-r"),
        ("name,city\nАнна,Ян\n", "koi8-r"),
        ("name,city\n株式会社テスト,東京\n", "shift_jis"),
        ("name,city\nﾃｽﾄ,ｶﾅ\n", "shift_jis"),
        ("name,city\nΑθήνα,Πειραιάς\n", "cp1253"),
    ],
)
def test_other_encodings_refused_not_garbled(portfolio_file, text, encoding):
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        table(portfolio_file, text, encoding)
    assert error.value.issue.code == "encoding"


def test_control_characters_refused(portfolio_file):
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.read_table(b"name\nAndes\x1b[2J SpA\n", "f.csv")
    assert error.value.issue.code == "encoding"


def _xlsx(openpyxl, *rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def _rewrite_zip(content, member, change):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename == member else data)
    return out.getvalue()


def test_damaged_xlsx(portfolio_file):
    openpyxl = pytest.importorskip("openpyxl")
    good = _xlsx(openpyxl, ["name"], ["Andes SpA"])
    damaged = {
        "truncated sheet XML": _rewrite_zip(
            good, "xl/worksheets/sheet1.xml", lambda data: data[: len(data) // 2]
        ),
        "broken workbook XML": _rewrite_zip(good, "xl/workbook.xml", lambda data: data[:50]),
        "truncated zip": good[: len(good) // 2],
    }
    for reason, content in damaged.items():
        with pytest.raises(portfolio_file.PortfolioFileError) as error:
            portfolio_file.read_table(content, "cartera.xlsx")
        assert error.value.issue.code == "unreadable", reason
    no_sheet = _rewrite_zip(
        good, "xl/workbook.xml", lambda data: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data)
    )
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.read_table(no_sheet, "cartera.xlsx")
    assert error.value.issue.code == "no_sheet"
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "c.xls")
    assert error.value.issue.code == "xls"


def test_formulas_neutralised(portfolio_file, normalize_phone):
    text = "\n".join(
        [
            HEADER + ",email",
            '=HYPERLINK("x";"y"),+R1,-5,CL,@Ana,-Soto,+56 9 6123 4501,a@b.cl; c@d.cl',
            "Andes SpA,A-1,76111111-1,,Bruno,Soto,+56 9 6123 4501,=1+1@b.cl",
        ]
    )
    first, second = parse(portfolio_file, normalize_phone, text).rows
    assert first.values["name"] == '\'=HYPERLINK("x";"y")'
    assert (first.values["ref"], first.values["vat"]) == ("'+R1", "'-5")
    assert first.values["advisor_first_name"] == "'@Ana"
    assert first.values["advisor_last_name"] == "'-Soto"
    assert first.values["advisor_phone"] == "+56961234501"
    assert first.values["email"] == "a@b.cl, c@d.cl"
    assert codes(first) == []
    assert (second.values["name"], second.values["ref"]) == ("Andes SpA", "A-1")
    assert codes(second) == ["email_invalid"]


@pytest.mark.parametrize(
    "text", ["=1+1@b.cl", "@b.cl", "ana", "ana@b", 'ana"@b.cl', "a@b.cl, =x@b.cl", "+a@b.cl"]
)
def test_email_refused(portfolio_file, text):
    assert portfolio_file.normalize_emails(text) is None


def test_size_and_row_limits(portfolio_file):
    text = "name\n" + "\n".join(f"Cliente {i}" for i in range(10)) + "\n\n\n"
    assert len(portfolio_file.read_table(text.encode(), "f.csv", max_rows=10)) == 11
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.read_table(text.encode(), "f.csv", max_rows=9)
    assert (error.value.issue.code, error.value.issue.params) == ("too_many_rows", (9,))
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.read_table(text.encode(), "f.csv", max_bytes=50)
    assert (error.value.issue.code, error.value.issue.params) == ("too_large", (len(text), 50))


def test_xlsx_streamed_and_stops_at_the_limit(portfolio_file, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["name", "ref"])
    for index in range(20000):
        sheet.append([f"Cliente {index}", index])
    content = io.BytesIO()
    workbook.save(content)
    loads, cells = [], []
    load_workbook, cell_text = openpyxl.load_workbook, portfolio_file._cell_text

    def counting_load(*args, **kwargs):
        loads.append(kwargs)
        return load_workbook(*args, **kwargs)

    def counting_cell(value):
        cells.append(value)
        return cell_text(value)

    monkeypatch.setattr(openpyxl, "load_workbook", counting_load)
    monkeypatch.setattr(portfolio_file, "_cell_text", counting_cell)
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.read_table(content.getvalue(), "big.xlsx", max_rows=100)
    assert error.value.issue.code == "too_many_rows"
    assert len(loads) == 1 and loads[0]["read_only"]
    assert len(cells) == 2 * 102, "read up to the first row beyond the limit, no further"


def test_xlsx_that_unpacks_to_far_more_refused(portfolio_file):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 5_000_000)
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.read_table(out.getvalue(), "bomba.xlsx", max_bytes=100_000)
    assert error.value.issue.code == "too_large"


def test_csv_cell_too_long(portfolio_file):
    content = b'name\n"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(portfolio_file.PortfolioFileError) as error:
        portfolio_file.read_table(content, "f.csv")
    assert error.value.issue.code == "csv_unreadable"
