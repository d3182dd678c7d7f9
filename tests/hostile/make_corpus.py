"""Writes the hostile-input corpus in tests/hostile/ (see README.md there).

Run from the repository root:  python3 tests/hostile/make_corpus.py
Python 3.11+, standard library only. Workbooks are put together from their
XML parts by hand, so each one is exactly as broken as intended; timestamps
are fixed so that reruns give the same bytes (on the same zlib).

Files too large to keep in the repository (a file over 64 MiB, a million
empty CSV rows, more rows than limits.max_rows, a symlink) are made at test
time by tests/it/hostile.rs instead.
"""

import io
import os
import random
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

# Real criteria of PermenPANRB 88/2021 (pipelines/rubrics/permenpanrb-88-2021.toml).
CODES = ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6", "1.1.7", "1.2.1", "1.2.2", "1.2.3"]
ANSWERS = ["AA", "A", "BB", "B", "CC", "C", "D", "E"]
STAMP = (2024, 3, 1, 8, 0, 0)


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    print(f"{len(data):>9}  {name}")


def csv_rows(unit, n, sep=",", eol="\n", notes=None, start=0):
    """A header and `n` answer rows of `unit` for 2024, evaluator track."""
    lines = [sep.join(["kode_satker", "tahun", "penilaian", "kode_kriteria", "jawaban", "catatan"])]
    for i in range(n):
        note = notes(i) if notes else ""
        lines.append(sep.join([unit, "2024", "evaluator", CODES[start + i], ANSWERS[i % len(ANSWERS)], note]))
    return eol.join(lines) + eol


# --- workbooks, part by part -------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>'
)
# Style 0: general; style 1: built-in date format 14 (what Excel gives "1-2").
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)
EMPTY_SST = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" count="0" uniqueCount="0"></sst>'


def workbook_xml(sheets=("LKE",)):
    entries = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(sheets))
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        f"<sheets>{entries}</sheets></workbook>"
    )


def sheet_xml(rows, dimension=None):
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">{dim}<sheetData>{rows}</sheetData></worksheet>'


def col(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def bij26(n):
    """Column `n` (1-based) in Excel's letters, however large."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def cell(ref, value):
    """A cell: text inline, numbers as numbers, ("f", formula, cached) as a
    formula with a cached value (cached None: no value saved), ("date",
    serial) as a number in the date style."""
    if isinstance(value, tuple) and value[0] == "f":
        _, formula, cached = value
        formula = formula.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if cached is None:
            return f'<c r="{ref}"><f>{formula}</f><v></v></c>'
        if isinstance(cached, str):
            return f'<c r="{ref}" t="str"><f>{formula}</f><v>{cached}</v></c>'
        return f'<c r="{ref}"><f>{formula}</f><v>{cached}</v></c>'
    if isinstance(value, tuple) and value[0] == "date":
        return f'<c r="{ref}" s="1"><v>{value[1]}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def rows_xml(rows, first=1):
    out = []
    for r, values in enumerate(rows, start=first):
        cells = "".join(cell(f"{col(c)}{r}", v) for c, v in enumerate(values) if v is not None)
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


HEADER = ["Kode Satker", "Tahun", "Penilaian", "Kode Kriteria", "Jawaban", "Catatan"]


def answer_rows(unit, n, start=0):
    return [[unit, 2024, "evaluator", CODES[start + i], ANSWERS[i % len(ANSWERS)], ""] for i in range(n)]


def xlsx(sheet, shared=EMPTY_SST, workbook=None, big=None):
    """The bytes of a workbook whose LKE sheet XML is `sheet`. `big` is
    (part name, prefix, n bytes of spaces, suffix): a part streamed in chunks
    rather than built in memory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        parts = [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", workbook or workbook_xml()),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/styles.xml", STYLES),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", shared),
        ]
        for name, text in parts:
            if big and name == big[0]:
                continue
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"), compresslevel=9)
        if big:
            name, prefix, n, suffix = big
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.file_size = len(prefix) + n + len(suffix)
            with z.open(info, "w") as f:
                f.write(prefix.encode())
                chunk = b" " * (1 << 20)
                left = n
                while left:
                    f.write(chunk[: min(left, len(chunk))])
                    left -= min(left, len(chunk))
                f.write(suffix.encode())
    return buf.getvalue()


def central_entries(data):
    """(offset of central record, offset of local header, name) per entry."""
    eocd = data.rfind(b"PK\x05\x06")
    count = int.from_bytes(data[eocd + 10 : eocd + 12], "little")
    at = int.from_bytes(data[eocd + 16 : eocd + 20], "little")
    out = []
    for _ in range(count):
        n, m, k = (int.from_bytes(data[at + o : at + o + 2], "little") for o in (28, 30, 32))
        local = int.from_bytes(data[at + 42 : at + 46], "little")
        out.append((at, local, data[at + 46 : at + 46 + n].decode()))
        at += 46 + n + m + k
    return out


def main():
    rnd = random.Random(53)

    # --- CSV: what is not text -------------------------------------------------
    write("empty.csv", b"")
    write("bom-only.csv", b"\xef\xbb\xbf")
    write("whitespace-only.csv", " \r\n\t\r\n   \r\n")
    write("header-only.csv", "kode_satker;kode_kriteria;jawaban\r\n")
    garbage = bytes(rnd.randrange(256) for _ in range(4096))
    write("binary-garbage.csv", garbage)
    valid_book = xlsx(sheet_xml(rows_xml([HEADER] + answer_rows(5321, 3))))
    write("workbook-named-csv.csv", valid_book)
    text = csv_rows("5320", 4)
    lines = text.split("\n")
    lines[2] = lines[2].replace("evaluator", "eval\0uator")
    write("nul-bytes.csv", "\n".join(lines))
    write("nul-padded.csv", text.encode() + b"\0" * 4096)
    write("not-utf8-not-1252.csv", csv_rows("5320", 3).encode() + b"5320,2024,evaluator,1.1.4,A,catatan \x8d\x9d\x81\n")
    mixed = csv_rows("5320", 2, notes=lambda i: "Pak Dédé").encode() + "5320,2024,evaluator,1.1.3,B,Pak Dédé\n".encode("cp1252")
    write("mixed-encoding.csv", mixed)
    write("utf32.csv", csv_rows("5320", 2).encode("utf-32"))
    utf16 = csv_rows("5303", 5, sep="\t", eol="\r\n", notes=lambda i: "Sudah diverifikasi – Pak Dédé")
    write("utf16.csv", b"\xff\xfe" + utf16.encode("utf-16-le"))
    write("utf16be.csv", b"\xfe\xff" + csv_rows("5304", 3, sep="\t", eol="\r\n").encode("utf-16-be"))
    write("utf16-truncated.csv", (b"\xff\xfe" + csv_rows("5320", 3, sep="\t").encode("utf-16-le"))[:-1])

    # --- CSV: text with hostile content ---------------------------------------
    write("long-line.csv", csv_rows("5308", 4, notes=lambda i: "x" * 100_000 if i == 2 else "ok"))
    write("one-huge-line.csv", "abcdefghij," * 20_000)
    write("duplicated-header.csv", "kode_satker,kode_kriteria,jawaban,jawaban\n" + "".join(f"5320,{c},A,B\n" for c in CODES[:4]))
    write(
        "duplicated-header-alias.csv",
        "kode_satker,kode_kriteria,jawaban,nilai\n" + "".join(f"5309,{c},BB,80\n" for c in CODES[:4]),
    )
    write("nama file dengan spasi.csv", csv_rows("5301", 4))
    write("berkas-ñ-é.csv", csv_rows("5302", 4, notes=lambda i: "Bukti di Kantor Kabupaten Kupang – lengkap"))
    write("code-float-text.csv", csv_rows("5307.0", 3))
    write("code-other-province-float.csv", csv_rows("3301.0", 3))
    write("code-dotted-lost-zero.csv", csv_rows("53.1", 3))
    write("quote-never-closed.csv", csv_rows("5314", 3) + '5314,2024,evaluator,1.1.4,"A,tanda kutip tidak ditutup\n5314,2024,evaluator,1.1.5,B,\n')
    write("cr-line-ends.csv", csv_rows("5316", 3, eol="\r"))
    write(
        "csv-formula-injection.csv",
        csv_rows("5319", 3, notes=lambda i: ['=HYPERLINK("http://contoh.invalid/x","klik")', "+1+1", "@SUM(A1:A9)"][i]).replace(
            '=HYPERLINK("http://contoh.invalid/x","klik")', '"=HYPERLINK(""http://contoh.invalid/x"",""klik"")"'
        ),
    )

    # --- XLSX ------------------------------------------------------------------
    write("xlsx-truncated.xlsx", valid_book[: len(valid_book) * 6 // 10])
    corrupted = bytearray(xlsx(sheet_xml(rows_xml([HEADER] + answer_rows(5321, 5)))))
    sheet_entry = next(e for e in central_entries(bytes(corrupted)) if e[2] == "xl/worksheets/sheet1.xml")
    local = sheet_entry[1]
    name_len = int.from_bytes(corrupted[local + 26 : local + 28], "little")
    extra_len = int.from_bytes(corrupted[local + 28 : local + 30], "little")
    data_at = local + 30 + name_len + extra_len
    for i in range(data_at + 20, data_at + 40):
        corrupted[i] ^= 0xA5
    write("xlsx-corrupted.xlsx", bytes(corrupted))
    # 300 MiB of spaces in one shared string: about 300 KB deflated.
    bomb_prefix = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t xml:space="preserve">'
    write("xlsx-zip-bomb.xlsx", xlsx(sheet_xml(rows_xml([HEADER])), big=("xl/sharedStrings.xml", bomb_prefix, 300 << 20, "</t></si></sst>")))
    # 20 MiB of spaces in the sheet: under the total limit, but 1000:1.
    ratio = xlsx(
        "",
        big=("xl/worksheets/sheet1.xml", sheet_xml(rows_xml([HEADER])).replace("</sheetData></worksheet>", ""), 20 << 20, "</sheetData></worksheet>"),
    )
    write("xlsx-ratio-bomb.xlsx", ratio)
    lie = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" count="2" uniqueCount="100000000000"><si><t>Kode Kriteria</t></si><si><t>Jawaban</t></si></sst>'
    write(
        "xlsx-shared-strings-count-lie.xlsx",
        xlsx(sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'), shared=lie),
    )
    far = rows_xml([HEADER] + answer_rows(5312, 3)) + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>'
    write("xlsx-far-cell.xlsx", xlsx(sheet_xml(far, dimension="A1:XFD1048576")))
    # A header, then 1 048 575 empty rows, written two ways in runs of eight
    # at random so that the part compresses about 200:1, as real sheets may,
    # not like a bomb; no data at all.
    empty_rows = "".join(rnd.choice(("<row/>" * 8, "<row></row>" * 8)) for _ in range(1_048_574 // 8)) + "<row/>" * (1_048_574 % 8)
    empty_rows += '<row r="1048576"></row>'
    write("xlsx-million-empty-rows.xlsx", xlsx(sheet_xml(rows_xml([HEADER]) + empty_rows, dimension="A1:F1048576")))
    write("xls-named-xlsx.xlsx", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    write("csv-named-xlsx.xlsx", csv_rows("5320", 3))
    formulas = [HEADER] + [
        [("f", "5300+5", 5305), 2024, "evaluator", CODES[0], ("f", 'IF(1>0,"A","B")', "A"), ""],
        [("f", "A2", 5305), 2024, "evaluator", CODES[1], ("f", 'IF(1>0,"BB","B")', "BB"), ("f", 'CONCAT("ok","")', "ok")],
        [5305, 2024, "evaluator", CODES[2], ("f", 'IF(1<0,"AA","CC")', "CC"), ""],
    ]
    write("formula-cells.xlsx", xlsx(sheet_xml(rows_xml(formulas))))
    unsaved = [HEADER] + [
        [5317, 2024, "evaluator", CODES[0], ("f", 'IF(1>0,"A","B")', "A"), ""],
        [5317, 2024, "evaluator", CODES[1], ("f", 'IF(1>0,"A","B")', None), ""],
        [5317, 2024, "evaluator", CODES[2], "B", ""],
        [5317, 2024, "evaluator", CODES[3], ("f", 'IF(1>0,"A","B")', None), ""],
    ]
    write("formula-no-cached-value.xlsx", xlsx(sheet_xml(rows_xml(unsaved))))
    # "1.2" typed into a General cell became 1 February (serial 45323).
    dated = [HEADER] + answer_rows(5311, 3) + [[5311, 2024, "evaluator", ("date", 45323), "A", ""]]
    write("date-as-code.xlsx", xlsx(sheet_xml(rows_xml(dated))))
    write("code-lost-leading-zero.xlsx", xlsx(sheet_xml(rows_xml([HEADER] + answer_rows(5306, 3)))))
    write("code-dotted-number.xlsx", xlsx(sheet_xml(rows_xml([HEADER] + [[53.1, 2024, "evaluator", c, "B", ""] for c in CODES[:3]]))))
    bad_ref = rows_xml([HEADER] + answer_rows(5320, 2)) + '<row r="5"><c r="ZZZZZZZZ5" t="inlineStr"><is><t>x</t></is></c></row>'
    write("xlsx-bad-cell-reference.xlsx", xlsx(sheet_xml(bad_ref)))
    # MWLQKXA is column 2^32 + 5: calamine's u32 arithmetic wraps it to E
    # (Jawaban) where overflow is not checked, so a release build once took
    # the answer from it while a debug build refused the file.
    wrapping = bij26(2**32 + 5)
    wrapped = rows_xml([HEADER] + answer_rows(5371, 3)).replace('r="E4"', f'r="{wrapping}4"')
    write("xlsx-wrapping-cell-reference.xlsx", xlsx(sheet_xml(wrapped)))
    encrypted = bytearray(xlsx(sheet_xml(rows_xml([HEADER] + answer_rows(5320, 2)))))
    for central, local, name in central_entries(bytes(encrypted)):
        if name == "xl/worksheets/sheet1.xml":
            encrypted[central + 8] |= 1
            encrypted[local + 6] |= 1
    write("xlsx-encrypted-part.xlsx", bytes(encrypted))
    write("xlsx-no-sheets.xlsx", xlsx(sheet_xml(""), workbook=workbook_xml(sheets=())))
    two_tracks = [
        ["LEMBAR KERJA EVALUASI SAKIP 2024"],
        [None, None, None, "Penilaian Mandiri", "Penilaian Evaluator"],
        ["Kode Satker", "Kode Kriteria", "Kriteria", "Jawaban", "Jawaban"],
    ] + [[5320, c, "Terdapat pedoman teknis perencanaan kinerja.", "A", "BB"] for c in CODES[:3]]
    write("xlsx-two-jawaban-columns.xlsx", xlsx(sheet_xml(rows_xml(two_tracks))))

    # --- JSON ------------------------------------------------------------------
    write("json-deep-nesting.json", '{"kode_satker": "5320", "answers": ' + "[" * 10_000 + "]" * 10_000 + "}")
    write("json-not-object.json", '[{"kode_kriteria": "1.1.1", "jawaban": "A"}]')
    write("json-truncated.json", '{"kode_satker": "5320", "tahun": 2024, "answers": [{"kode_kriteria": "1.1.1", "jawaban": "A"}, {"kode_kri')
    write(
        "json-mixed-elements.json",
        '{"kode_satker": "53.13", "tahun": 2024, "penilaian": "evaluator", "answers": ['
        '{"kode_kriteria": "1.1.1", "jawaban": "A"}, {"kode_kriteria": "1.1.2", "jawaban": "BB"}, '
        '"1.1.3=A", {"kode_kriteria": "1.1.4", "jawaban": ["A", "B"]}, {}, {"kode_kriteria": "", "jawaban": null}, '
        '{"kode_kriteria": "1.1.5", "jawaban": "C"}]}',
    )
    json16 = '{"kode_satker": "5318", "tahun": 2024, "answers": [{"kode_kriteria": "1.1.1", "jawaban": "A", "catatan": "Dédé"}, {"kode_kriteria": "1.1.2", "jawaban": "B"}, {"kode_kriteria": "1.1.3", "jawaban": "C"}]}'
    write("json-utf16.json", b"\xff\xfe" + json16.encode("utf-16-le"))
    long_note = "catatan panjang " * 4_500
    write(
        "json-long-string.json",
        '{"kode_satker": "5315", "answers": [{"kode_kriteria": "1.1.1", "jawaban": "A"}, '
        f'{{"kode_kriteria": "1.1.2", "jawaban": "B", "catatan": "{long_note}"}}, {{"kode_kriteria": "1.1.3", "jawaban": "C"}}]}}',
    )
    write("json-huge-number.json", '{"kode_satker": "5320", "answers": [{"kode_kriteria": "1.1.1", "jawaban": 1e400}]}')

    sizes = {n: os.path.getsize(os.path.join(HERE, n)) for n in ("xlsx-zip-bomb.xlsx", "xlsx-ratio-bomb.xlsx", "xlsx-million-empty-rows.xlsx")}
    assert sizes["xlsx-zip-bomb.xlsx"] < 400_000, sizes
    with zipfile.ZipFile(os.path.join(HERE, "xlsx-ratio-bomb.xlsx")) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size > 1000 * info.compress_size, (info.file_size, info.compress_size)
    with zipfile.ZipFile(os.path.join(HERE, "xlsx-million-empty-rows.xlsx")) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size < 500 * info.compress_size, (info.file_size, info.compress_size)
    other_workbooks()


# --- the other workbook formats: ODS, XLS, XLSB --------------------------------

ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods(rows_xml_text):
    """An ODS whose one sheet, LKE, holds the given table rows."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODS_NS} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="LKE">{rows_xml_text}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        # The mimetype first and stored, as the format requires.
        z.writestr(zipfile.ZipInfo("mimetype", STAMP), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        for name, text in (("META-INF/manifest.xml", manifest), ("content.xml", content)):
            z.writestr(zipfile.ZipInfo(name, STAMP), text.encode(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()


def ods_cell(value):
    if isinstance(value, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def biff(typ, data=b""):
    return typ.to_bytes(2, "little") + len(data).to_bytes(2, "little") + data


def xls(sheet_records):
    """An Excel 97–2003 workbook: one sheet, LKE, of the given BIFF8 records
    (cells, dimensions), in a compound file put together by hand: sector 0
    the allocation table, sector 1 the directory, then the workbook stream."""
    bof = lambda kind: biff(0x0809, (0x0600).to_bytes(2, "little") + kind.to_bytes(2, "little") + bytes(12))
    name = b"LKE"
    def globals_part(sheet_at):
        bound = biff(0x0085, sheet_at.to_bytes(4, "little") + b"\x00\x00" + bytes([len(name), 0]) + name)
        return bof(0x0005) + bound + biff(0x000A)
    sheet_at = len(globals_part(0))
    stream = globals_part(sheet_at) + bof(0x0010) + b"".join(sheet_records) + biff(0x000A)
    stream += bytes(max(0, 4096 - len(stream)))
    stream += bytes((-len(stream)) % 512)
    n = len(stream) // 512
    END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [FATSECT, END] + [3 + i for i in range(n - 1)] + [END]
    assert len(fat) <= 128
    fat += [FREE] * (128 - len(fat))
    u32 = lambda v: v.to_bytes(4, "little")
    def entry(label, kind, child, start, size):
        raw = label.encode("utf-16-le") + b"\0\0" if label else b""
        return (raw.ljust(64, b"\0") + len(raw).to_bytes(2, "little") + bytes([kind, 1]) + u32(NOSTREAM) + u32(NOSTREAM) + u32(child)
                + bytes(16) + bytes(4) + bytes(16) + u32(start) + u32(size) + bytes(4))
    directory = entry("Root Entry", 5, 1, END, 0) + entry("Workbook", 2, NOSTREAM, 2, len(stream)) + entry("", 0, NOSTREAM, FREE, 0) * 2
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + (0x3E).to_bytes(2, "little") + (3).to_bytes(2, "little")
              + (0xFFFE).to_bytes(2, "little") + (9).to_bytes(2, "little") + (6).to_bytes(2, "little") + bytes(6)
              + u32(0) + u32(1) + u32(1) + u32(0) + u32(4096) + u32(END) + u32(0) + u32(END) + u32(0)
              + u32(0) + u32(FREE) * 108)
    assert len(header) == 512
    return header + b"".join(u32(v) for v in fat) + directory + stream


def xls_cell(row, col, value):
    pos = row.to_bytes(2, "little") + col.to_bytes(2, "little") + bytes(2)
    if isinstance(value, (int, float)):
        import struct
        return biff(0x0203, pos + struct.pack("<d", float(value)))
    text = value.encode("latin-1")
    return biff(0x0204, pos + len(text).to_bytes(2, "little") + b"\x00" + text)


def xlsb_record(typ, data=b""):
    """One XLSB record: its type and length as 7-bit variable-length numbers."""
    head = bytes([typ]) if typ < 0x80 else bytes([(typ & 0x7F) | 0x80, typ >> 7])
    n, size = len(data), b""
    while True:
        byte = n & 0x7F
        n >>= 7
        size += bytes([byte | (0x80 if n else 0)])
        if not n:
            break
    return head + size + data


def xlsb(rows):
    """An Excel binary workbook whose one sheet, LKE, holds `rows` (text and
    numbers), put together record by record."""
    u32 = lambda v: v.to_bytes(4, "little")
    wide = lambda text: u32(len(text)) + text.encode("utf-16-le")
    book = b"".join([
        xlsb_record(0x0083),
        xlsb_record(0x008F),
        xlsb_record(0x009C, u32(0) + u32(1) + wide("rId1") + wide("LKE")),
        xlsb_record(0x0090),
        xlsb_record(0x0084),
    ])
    cells = []
    for r, row in enumerate(rows):
        cells.append(xlsb_record(0x0000, u32(r) + bytes(13)))
        for c, v in enumerate(row):
            if v == "":
                continue
            if isinstance(v, (int, float)):
                import struct
                cells.append(xlsb_record(0x0005, u32(c) + bytes(4) + struct.pack("<d", float(v))))
            else:
                cells.append(xlsb_record(0x0006, u32(c) + bytes(4) + wide(v)))
    last_col = max(len(r) for r in rows) - 1
    sheet = b"".join([
        xlsb_record(0x0081),
        xlsb_record(0x0094, u32(0) + u32(len(rows) - 1) + u32(0) + u32(last_col)),
        xlsb_record(0x0091),
        *cells,
        xlsb_record(0x0092),
        xlsb_record(0x0082),
    ])
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.bin"/></Relationships>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in (("_rels/.rels", ROOT_RELS.encode()), ("xl/workbook.bin", book), ("xl/_rels/workbook.bin.rels", rels.encode()), ("xl/worksheets/sheet1.bin", sheet)):
            z.writestr(zipfile.ZipInfo(name, STAMP), data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()


def other_workbooks():
    # An ODS as LibreOffice saves one: the sheet's unused columns and rows
    # as repeated empty cells out to the sheet's end.
    rows = "".join(
        "<table:table-row>" + "".join(ods_cell(v) for v in row) + '<table:table-cell table:number-columns-repeated="16378"/></table:table-row>'
        for row in [HEADER] + answer_rows(5320, 3)
    )
    rows += '<table:table-row table:number-rows-repeated="1048572"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    write("ods-libreoffice.ods", ods(rows))
    # One cell repeated across every column of a thousand repeated rows:
    # 16 million cells from a few hundred bytes.
    bomb = '<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>'
    write("ods-repeat-bomb.ods", ods("<table:table-row>" + "".join(ods_cell(v) for v in HEADER) + "</table:table-row>" + bomb))
    cells = [xls_cell(r, c, v) for r, row in enumerate([HEADER] + answer_rows(5321, 3)) for c, v in enumerate(row) if v != ""]
    write("xls-handmade.xls", xls(cells))
    # A DIMENSIONS record claiming a million rows by 256 columns: calamine
    # reserved room for all 256 million cells (about 10 GB) and aborted.
    dims = biff(0x0200, (0).to_bytes(4, "little") + (1_000_000).to_bytes(4, "little") + (0).to_bytes(2, "little") + (256).to_bytes(2, "little") + bytes(2))
    write("xls-dimensions-bomb.xls", xls([dims] + cells[:6]))
    write("xlsx-named-xls.xls", xlsx(sheet_xml(rows_xml([HEADER] + answer_rows(5320, 2)))))
    # A valid XLSB, of a unit of another province (every NTT unit already has
    # a file here): read, then refused for its unit.
    write("xlsb-other-province.xlsb", xlsb([HEADER] + answer_rows(3301, 3)))
    # An XLSB is a ZIP archive too: 300 MiB of one byte in its sheet part.
    write("xlsb-zip-bomb.xlsb", xlsx(sheet_xml(rows_xml([HEADER])), big=("xl/worksheets/sheet1.bin", "", 300 << 20, "")))


if __name__ == "__main__":
    main()
