#!/usr/bin/env python3
"""Generate the sample inbox in sample-data/inbox/ (KPU Provinsi Nusa Tenggara
Timur, code 53, and its 22 KPU Kabupaten/Kota) for the years 2021, 2023 and 2024.

Requirements: Python 3.11+ and openpyxl. To regenerate the sample data you need
`pip install openpyxl` first, then run, from anywhere:

    python3 scripts/make_sample_data.py

The output is deterministic: every random choice comes from random.Random
seeded with a fixed string, and the XLSX files get fixed document properties
and fixed zip entry timestamps, so two runs give byte-identical files. The
script also sets fixed modification times on the files it writes (git does not
keep those; see sample-data/README.md, "Duplicate submission").

Criterion codes and answer scales are read from pipelines/rubrics/*.toml and
pipelines/answer-scales/*.toml, so the files always match the rubrics. The
hand-checkable units listed in sample-data/README.md get fixed evaluator
answers; everything else is synthetic. The script deletes and rewrites
sample-data/inbox/ only; sample-data/wilayah/ and the READMEs are not touched.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import os
import random
import shutil
import tomllib
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

ROOT = Path(__file__).resolve().parent.parent
RUBRICS = ROOT / "pipelines" / "rubrics"
SCALES = ROOT / "pipelines" / "answer-scales"
INBOX = ROOT / "sample-data" / "inbox"

YEAR_RUBRIC = {2021: "permenpanrb-12-2015", 2023: "permenpanrb-88-2021", 2024: "permenpanrb-88-2021"}
TRACKS = ("mandiri", "evaluator")

# Formats.
EN = "csv-en"  # UTF-8, comma, English headers, LF
ID = "csv-id-1252"  # Windows-1252, semicolon, Indonesian headers, CRLF
BOM = "csv-bom"  # UTF-8 with BOM, comma, mixed-case Indonesian headers, CRLF
XLSX = "xlsx"
JSON = "json"
ALL_FORMATS = (EN, ID, BOM, XLSX, JSON)

# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    code: str  # "53" or "5301"
    name: str  # "KPU Kabupaten Kupang"
    slug: str  # "kupang"

    @property
    def dotted(self) -> str:
        return self.code if len(self.code) == 2 else f"{self.code[:2]}.{self.code[2:]}"


REGENCIES = [
    ("5301", "Kabupaten Kupang"),
    ("5302", "Kabupaten Timor Tengah Selatan"),
    ("5303", "Kabupaten Timor Tengah Utara"),
    ("5304", "Kabupaten Belu"),
    ("5305", "Kabupaten Alor"),
    ("5306", "Kabupaten Flores Timur"),
    ("5307", "Kabupaten Sikka"),
    ("5308", "Kabupaten Ende"),
    ("5309", "Kabupaten Ngada"),
    ("5310", "Kabupaten Manggarai"),
    ("5311", "Kabupaten Sumba Timur"),
    ("5312", "Kabupaten Sumba Barat"),
    ("5313", "Kabupaten Lembata"),
    ("5314", "Kabupaten Rote Ndao"),
    ("5315", "Kabupaten Manggarai Barat"),
    ("5316", "Kabupaten Nagekeo"),
    ("5317", "Kabupaten Sumba Tengah"),
    ("5318", "Kabupaten Sumba Barat Daya"),
    ("5319", "Kabupaten Manggarai Timur"),
    ("5320", "Kabupaten Sabu Raijua"),
    ("5321", "Kabupaten Malaka"),
    ("5371", "Kota Kupang"),
]


def slugify(name: str) -> str:
    if name.startswith("Kabupaten "):
        name = name[len("Kabupaten "):]
    return name.lower().replace(" ", "-")


PROVINCE = Unit("53", "KPU Provinsi Nusa Tenggara Timur", "kpu-provinsi-ntt")
UNITS = [PROVINCE] + [Unit(c, f"KPU {n}", slugify(n)) for c, n in REGENCIES]
BY_CODE = {u.code: u for u in UNITS}

# ---------------------------------------------------------------------------
# Rubrics and answer scales
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    name: str
    answers: tuple[tuple[str, float], ...]  # (answer, share of full marks), best first

    def index(self, answer: str) -> int:
        return [a for a, _ in self.answers].index(answer)

    @property
    def top(self) -> str:
        return self.answers[0][0]

    @property
    def bottom(self) -> str:
        return self.answers[-1][0]


def load_scale(name: str) -> Scale:
    data = tomllib.loads((SCALES / f"{name}.toml").read_text(encoding="utf-8"))
    pairs = [(a["answer"], float(a["value"])) for a in data["answers"]]
    full = max(v for _, v in pairs)
    pairs = sorted(((a, v / full) for a, v in pairs), key=lambda p: -p[1])
    return Scale(name, tuple(pairs))


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    component: str  # "1 Perencanaan Kinerja"
    subcomponent: str  # "1.1 Keberadaan"
    sub_code: str
    kind: str  # keberadaan / kualitas / pemanfaatan (pemenuhan / implementasi for 12/2015)
    scale: Scale


def load_rubric(name: str) -> list[Criterion]:
    data = tomllib.loads((RUBRICS / f"{name}.toml").read_text(encoding="utf-8"))
    out = []
    for comp in data["components"]:
        for sub in comp["subcomponents"]:
            sub_scale = sub.get("answer_scale", data.get("answer_scale"))
            label = sub["name"].split("—")[-1].strip().lower()
            if "(" in label:  # "kinerja yang dilaporkan (output)"
                label = "capaian"
            for crit in sub["criteria"]:
                out.append(Criterion(
                    code=crit["code"],
                    name=crit["name"],
                    component=f"{comp['code']}. {comp['name']}",
                    subcomponent=f"{sub['code']} {sub['name']}",
                    sub_code=sub["code"],
                    kind=label,
                    scale=load_scale(crit.get("answer_scale", sub_scale)),
                ))
    return out


# ---------------------------------------------------------------------------
# Answers
# ---------------------------------------------------------------------------


@dataclass
class Row:
    track: str
    criterion: str
    answer: str
    notes: str = ""
    evidence: str = ""


KIND_OFFSET = {
    "keberadaan": 0.08, "pemenuhan": 0.10,
    "kualitas": 0.0, "capaian": 0.0,
    "pemanfaatan": -0.06, "implementasi": -0.06,
}
YEAR_BONUS = {2021: -0.09, 2023: 0.0, 2024: 0.03}

MANDIRI_NOTES = [
    "Dokumen terlampir",
    "Sudah ditetapkan dengan Keputusan Ketua",
    "Dokumen sudah diunggah ke laman JDIH",
    "Sesuai hasil rapat pleno",
    "Dalam proses penandatanganan",
    "Sudah dipublikasikan di laman resmi",
    "Dilaksanakan setiap triwulan",
    "Lihat notulen rapat koordinasi",
]
EVALUATOR_NOTES = [
    "Bukti dukung belum lengkap",
    "Perlu perbaikan indikator kinerja",
    "Belum dipublikasikan di laman resmi",
    "Sesuai bukti dukung",
    "Dokumen belum ditandatangani",
    "Target belum selaras dengan Renstra",
    "Pemantauan belum berkala",
    "Tindak lanjut rekomendasi belum tuntas",
]
# Notes with characters outside ASCII, so that a wrong encoding shows.
ACCENT_NOTES = [
    "Lihat résumé rapat pleno",
    "Dokumen final – sudah diparaf Sekretaris",
    "Catatan tim: rapat di Café Sasando, bukti foto terlampir",
]
EVIDENCE_DOCS = {
    "1": ["renstra-2020-2024.pdf", "perjanjian-kinerja-{y}.pdf", "rencana-aksi-{y}.pdf", "rkt-{y}.pdf"],
    "2": ["iku-{y}.pdf", "pedoman-pengukuran-kinerja.pdf", "capaian-kinerja-tw4-{p}.xlsx"],
    "3": ["lkjip-{p}.pdf", "reviu-lkjip-{p}.pdf"],
    "4": ["laporan-evaluasi-internal-{p}.pdf", "sk-tim-evaluasi-{y}.pdf"],
    "5": ["lkjip-{p}.pdf", "laporan-capaian-output-{p}.pdf"],
}


# Units with hand-checkable 2024 answers get a level that fits them, so that
# their other years look plausible next to the fixed ones.
QUALITY_OVERRIDE = {"5301": 0.84, "5304": 0.63, "5305": 0.63, "5371": 0.72}


def unit_quality(unit: Unit) -> float:
    """A unit's fixed level, 0.55 … 0.80 as a share of full marks."""
    if unit.code in QUALITY_OVERRIDE:
        return QUALITY_OVERRIDE[unit.code]
    return random.Random(f"sakip-ntt/quality/{unit.code}").uniform(0.55, 0.80)


def nearest(scale: Scale, share: float) -> str:
    return min(scale.answers, key=lambda p: (abs(p[1] - share), -p[1]))[0]


def generated_evaluator(crits: list[Criterion], unit: Unit, year: int, rng: random.Random) -> dict[str, str]:
    q = unit_quality(unit) + YEAR_BONUS[year]
    out = {}
    for c in crits:
        latent = q + KIND_OFFSET[c.kind] + rng.gauss(0, 0.09)
        if c.scale.name == "y-t":
            out[c.code] = "Y" if rng.random() < min(0.97, latent + 0.2) else "T"
        else:
            out[c.code] = nearest(c.scale, min(latent, 0.93))
    return out


def mandiri_from(crits: list[Criterion], evaluator: dict[str, str], rng: random.Random) -> dict[str, str]:
    """Self-assessment: mostly the evaluator's answer or a step or two better."""
    out = {}
    for c in crits:
        idx = c.scale.index(evaluator[c.code])
        r = rng.random()
        step = 2 if r < 0.08 else 1 if r < 0.50 else -1 if r < 0.54 else 0
        out[c.code] = c.scale.answers[max(0, min(len(c.scale.answers) - 1, idx - step))][0]
    return out


def spread(pattern: list[tuple[str, int]]) -> list[str]:
    out = []
    for answer, n in pattern:
        out += [answer] * n
    return out


# Fixed evaluator answers per sub-component (in criterion order).
# KPU Provinsi NTT 2024 -> 78.10; see sample-data/README.md for the arithmetic.
PROV_2024 = {
    "1.1": spread([("A", 7)]),
    "1.2": spread([("A", 5), ("BB", 5)]),
    "1.3": spread([("BB", 4), ("B", 4)]),
    "2.1": spread([("A", 3)]),
    "2.2": spread([("BB", 7)]),
    "2.3": spread([("BB", 3), ("B", 7)]),
    "3.1": spread([("A", 6)]),
    "3.2": spread([("BB", 9)]),
    "3.3": spread([("B", 7)]),
    "4.1": spread([("A", 3)]),
    "4.2": spread([("BB", 3), ("B", 2)]),
    "4.3": spread([("B", 4), ("CC", 1)]),
}
# Belu (5304) and Alor (5305) 2024, identical -> 69.248333… -> 69.25.
TIE_2024 = {
    "1.1": spread([("BB", 7)]),
    "1.2": spread([("BB", 6), ("B", 4)]),
    "1.3": spread([("BB", 2), ("B", 6)]),
    "2.1": spread([("A", 3)]),
    "2.2": spread([("B", 7)]),
    "2.3": spread([("B", 4), ("CC", 6)]),
    "3.1": spread([("BB", 6)]),
    "3.2": spread([("B", 9)]),
    "3.3": spread([("CC", 7)]),
    "4.1": spread([("BB", 2), ("B", 1)]),
    "4.2": spread([("B", 2), ("CC", 3)]),
    "4.3": spread([("CC", 2), ("C", 3)]),
}


def by_sub(crits: list[Criterion], table: dict[str, list[str]]) -> dict[str, str]:
    out, pos = {}, {}
    for c in crits:
        i = pos.get(c.sub_code, 0)
        out[c.code] = table[c.sub_code][i]
        pos[c.sub_code] = i + 1
    for sub, answers in table.items():
        assert pos.get(sub) == len(answers), f"{sub}: {pos.get(sub)} criteria, {len(answers)} answers"
    return out


def fixed_evaluator(crits: list[Criterion], unit: Unit, year: int) -> dict[str, str] | None:
    key = (year, unit.code)
    if key == (2024, "5371"):
        return {c.code: "BB" for c in crits}
    if key == (2024, "5301"):
        return {c.code: "A" for c in crits}
    if key in ((2024, "5304"), (2024, "5305")):
        return by_sub(crits, TIE_2024)
    if key == (2023, "5371"):
        return {c.code: "B" for c in crits}
    if key == (2024, "53"):
        return by_sub(crits, PROV_2024)
    if key == (2021, "5371"):
        return {c.code: (c.scale.bottom if c.code.startswith("3.") else c.scale.top) for c in crits}
    return None


HAND_CHECKED = {(2024, "5371"), (2024, "5301"), (2024, "5304"), (2024, "5305"), (2023, "5371"), (2024, "53"), (2021, "5371")}


def make_rows(crits: list[Criterion], unit: Unit, year: int, seed_tag: str = "") -> list[Row]:
    rng = random.Random(f"sakip-ntt/answers/{year}/{unit.code}{seed_tag}")
    evaluator = fixed_evaluator(crits, unit, year) or generated_evaluator(crits, unit, year, rng)
    mandiri = mandiri_from(crits, evaluator, rng)
    rows = []
    for track, answers in (("mandiri", mandiri), ("evaluator", evaluator)):
        for c in crits:
            row = Row(track, c.code, answers[c.code])
            if rng.random() < 0.08:
                row.notes = rng.choice(MANDIRI_NOTES if track == "mandiri" else EVALUATOR_NOTES)
            if rng.random() < 0.02:
                row.notes = rng.choice(ACCENT_NOTES)
            if track == "mandiri" and rng.random() < 0.10:
                doc = rng.choice(EVIDENCE_DOCS[c.code.split(".")[0]]).format(y=year, p=year - 1)
                row.evidence = f"https://jdih.kpu.go.id/ntt/{unit.slug}/{year}/{doc}"
            rows.append(row)
    return rows


def ensure_accent(rows: list[Row]) -> None:
    """Windows-1252 files carry at least one non-ASCII note."""
    if not any(any(ord(ch) > 127 for ch in r.notes) for r in rows):
        rows[4].notes = ACCENT_NOTES[0]


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


@dataclass
class Options:
    code: str  # unit code as written in the file
    year_text: str  # year as written in the file
    drop_answer_column: bool = False
    ya_tidak: bool = False  # write Y/T as Ya/Tidak (XLSX 2021)
    title_unit: str = ""
    created: datetime = field(default_factory=lambda: datetime(2024, 1, 1))


def write_csv_en(path: Path, rows: list[Row], o: Options) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    header = ["unit_code", "year", "track", "criterion", "answer", "notes", "evidence"]
    if o.drop_answer_column:
        header.remove("answer")
    w.writerow(header)
    for r in rows:
        rec = [o.code, o.year_text, r.track, r.criterion, r.answer, r.notes, r.evidence]
        if o.drop_answer_column:
            del rec[4]
        w.writerow(rec)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def write_csv_id(path: Path, rows: list[Row], o: Options) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["kode_satker", "tahun", "penilaian", "kode_kriteria", "jawaban", "catatan", "bukti"])
    for r in rows:
        w.writerow([o.code, o.year_text, r.track, r.criterion, r.answer, r.notes, r.evidence])
    path.write_bytes(buf.getvalue().encode("cp1252"))


def write_csv_bom(path: Path, rows: list[Row], o: Options) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["Kode Satker", "Tahun", "Penilaian", "Kode Kriteria", "Jawaban", "Catatan", "Bukti"])
    for r in rows:
        w.writerow([o.code, o.year_text, r.track, r.criterion, r.answer, r.notes, r.evidence])
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def write_json(path: Path, rows: list[Row], o: Options) -> None:
    answers = []
    for r in rows:
        item = {"criterion": r.criterion, "track": r.track, "answer": r.answer, "notes": r.notes}
        if r.evidence:
            item["evidence"] = r.evidence
        answers.append(item)
    doc = {"unit_code": o.code, "year": int(o.year_text), "answers": answers}
    path.write_bytes((json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def write_xlsx(path: Path, rows: list[Row], o: Options, crits: list[Criterion]) -> None:
    by_key = {(r.track, r.criterion): r for r in rows}
    crit_by_code = {c.code: c for c in crits}
    wb = Workbook()
    ws = wb.active
    ws.title = "LKE"
    ws["A1"] = f"LEMBAR KERJA EVALUASI SAKIP {o.year_text}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = o.title_unit
    ws["A2"].font = Font(bold=True)
    header = ["Kode Satker", "Komponen", "Sub-Komponen", "Kode Kriteria", "Kriteria", "Penilaian", "Jawaban", "Catatan"]
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    # Code written as a number where it has no dot, as offices type it.
    code_cell = o.code if "." in o.code else int(o.code)
    row_no = 4
    comp_start: dict[str, int] = {}
    sub_start: dict[str, int] = {}
    comp_end: dict[str, int] = {}
    sub_end: dict[str, int] = {}
    for c in crits:
        for track in TRACKS:
            r = by_key.get((track, c.code))
            if r is None:
                continue
            answer = r.answer
            if o.ya_tidak and crit_by_code[c.code].scale.name == "y-t":
                answer = {"Y": "Ya", "T": "Tidak"}.get(answer, answer)
            first_comp = c.component not in comp_start
            first_sub = c.subcomponent not in sub_start
            ws.append([
                code_cell,
                c.component if first_comp else None,
                c.subcomponent if first_sub else None,
                c.code, c.name, track, answer, r.notes or None,
            ])
            comp_start.setdefault(c.component, row_no)
            sub_start.setdefault(c.subcomponent, row_no)
            comp_end[c.component] = row_no
            sub_end[c.subcomponent] = row_no
            row_no += 1
    for starts, ends, col in ((comp_start, comp_end, "B"), (sub_start, sub_end, "C")):
        for key, start in starts.items():
            if ends[key] > start:
                ws.merge_cells(f"{col}{start}:{col}{ends[key]}")
            ws[f"{col}{start}"].alignment = Alignment(vertical="top", wrap_text=True)
    for col, width in zip("ABCDEFGH", (12, 24, 28, 13, 70, 11, 9, 40)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"

    props = wb.properties
    props.creator = o.title_unit
    props.lastModifiedBy = o.title_unit
    props.title = f"LKE SAKIP {o.year_text}"
    props.created = o.created
    props.modified = o.created

    # Write through ExcelWriter (save_workbook would stamp "modified" with the
    # current time), then rewrite the zip with fixed entry timestamps.
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.write_bytes(out.getvalue())


def write(path: Path, fmt: str, rows: list[Row], o: Options, crits: list[Criterion]) -> None:
    if fmt == EN:
        write_csv_en(path, rows, o)
    elif fmt == ID:
        ensure_accent(rows)
        write_csv_id(path, rows, o)
    elif fmt == BOM:
        write_csv_bom(path, rows, o)
    elif fmt == XLSX:
        write_xlsx(path, rows, o, crits)
    elif fmt == JSON:
        write_json(path, rows, o)
    else:
        raise ValueError(fmt)


EXT = {EN: "csv", ID: "csv", BOM: "csv", XLSX: "xlsx", JSON: "json"}

# ---------------------------------------------------------------------------
# The plan: which unit sends what, in which format
# ---------------------------------------------------------------------------

FORMAT_SHIFT = {2021: 2, 2023: 4, 2024: 0}
FORMAT_OVERRIDES = {
    2021: {"5371": BOM},
    2023: {"5371": ID},
    2024: {
        "53": XLSX, "5301": EN, "5304": BOM, "5305": XLSX, "5306": EN, "5307": ID,
        "5308": BOM, "5309": JSON, "5310": ID, "5311": EN, "5371": JSON,
    },
}
NO_SUBMISSION = {2024: {"5318", "5320"}}

# Modification times (UTC). Everything else gets 15 February of its year.
MTIME_5310_ORIGINAL = datetime(2024, 3, 1, 0, 0, 0)
MTIME_5310_REVISION = datetime(2024, 3, 5, 0, 0, 0)


def utc_ts(dt: datetime) -> int:
    return calendar.timegm(dt.timetuple())


def plan_format(year: int, index: int, unit: Unit) -> str:
    return FORMAT_OVERRIDES.get(year, {}).get(unit.code, ALL_FORMATS[(index + FORMAT_SHIFT[year]) % 5])


def options_for(unit: Unit, year: int, fmt: str, created: datetime) -> Options:
    # BOM files and a few others write the code with its dot (53.01).
    dotted = fmt == BOM or (fmt == ID and int(unit.code[-1]) % 3 == 0)
    return Options(
        code=unit.dotted if dotted else unit.code,
        year_text=str(year),
        ya_tidak=(fmt == XLSX and year == 2021),
        title_unit=f"{unit.name.upper()} ({unit.dotted})",
        created=created,
    )


def main() -> None:
    if INBOX.exists():
        shutil.rmtree(INBOX)
    rubrics = {y: load_rubric(r) for y, r in YEAR_RUBRIC.items()}
    written: list[tuple[Path, str]] = []
    mtimes: dict[Path, datetime] = {}

    for year, crits in rubrics.items():
        ydir = INBOX / str(year)
        ydir.mkdir(parents=True)
        default_time = datetime(year, 2, 15, 9, 0, 0)
        formats_used = set()
        for index, unit in enumerate(UNITS):
            if unit.code in NO_SUBMISSION.get(year, set()):
                continue
            fmt = plan_format(year, index, unit)
            formats_used.add(fmt)
            created = MTIME_5310_ORIGINAL if (year, unit.code) == (2024, "5310") else default_time
            o = options_for(unit, year, fmt, created)
            rows = make_rows(crits, unit, year)
            name = f"{unit.code}-{unit.slug}.{EXT[fmt]}"

            if year == 2024 and unit.code == "5306":
                # Off-scale answer, unknown criterion, duplicate evaluator row.
                for r in rows:
                    if r.track == "evaluator" and r.criterion == "3.2.4":
                        r.answer, r.notes = "Z", "Salah ketik"
                at = max(i for i, r in enumerate(rows) if r.track == "mandiri") + 1
                rows.insert(at, Row("mandiri", "9.9.9", "B", "Kriteria tambahan daerah"))
                first = next(r for r in rows if r.track == "evaluator" and r.criterion == "1.2.4")
                assert first.answer == "CC", first.answer
                rows.append(Row("evaluator", "1.2.4", "B", "Koreksi nilai"))
            if year == 2024 and unit.code == "5307":
                o.year_text = "2023"  # copied from last year's file, year not updated
            if year == 2024 and unit.code == "5308":
                rows = []
                name = "5308-ende-kosong.csv"
            if year == 2024 and unit.code == "5309":
                rows = [r for r in rows if not (r.track == "evaluator" and r.criterion in MISSING_5309)]
            if year == 2024 and unit.code == "5311":
                o.drop_answer_column = True

            path = ydir / name
            write(path, fmt, rows, o, crits)
            written.append((path, fmt))
            mtimes[path] = created

            if year == 2024 and unit.code == "5310":
                rev_rows = make_rows(crits, unit, year)
                for r in rev_rows:
                    if r.criterion in REVISED_5310:
                        before = r.answer
                        r.answer = REVISED_5310[r.criterion][r.track]
                        if r.track == "evaluator":
                            assert before == REVISED_5310[r.criterion]["was"], (r.criterion, before)
                        r.notes = "Direvisi setelah klarifikasi"
                ro = options_for(unit, year, XLSX, MTIME_5310_REVISION)
                rpath = ydir / f"{unit.code}-{unit.slug}_revisi.xlsx"
                write(rpath, XLSX, rev_rows, ro, crits)
                written.append((rpath, XLSX))
                mtimes[rpath] = MTIME_5310_REVISION
        assert formats_used == set(ALL_FORMATS), (year, formats_used)

    # Submissions from outside the registry / province, 2024.
    crits = rubrics[2024]
    for code, slug, name in (("5399", "unknown", "KPU Kabupaten (tidak dikenal)"), ("3301", "cilacap", "KPU Kabupaten Cilacap")):
        stranger = Unit(code, name, slug)
        rows = make_rows(crits, stranger, 2024)
        path = INBOX / "2024" / f"{code}-{slug}.csv"
        write(path, EN, rows, Options(code=code, year_text="2024"), crits)
        written.append((path, EN))
        mtimes[path] = datetime(2024, 2, 15, 9, 0, 0)

    for path, when in mtimes.items():
        ts = utc_ts(when)
        os.utime(path, (ts, ts))

    for path, fmt in sorted(written):
        print(f"{path.relative_to(ROOT)}  [{fmt}]")


# Ngada 2024: evaluator rows left out (unanswered).
MISSING_5309 = ("2.3.7", "3.3.4", "4.3.5")

# Manggarai 2024 revision: criteria re-answered in the _revisi.xlsx file.
# "was" is the evaluator answer in the original CSV (checked when generating).
REVISED_5310 = {
    "1.2.4": {"mandiri": "BB", "evaluator": "BB", "was": "B"},
    "2.2.6": {"mandiri": "BB", "evaluator": "BB", "was": "B"},
    "4.2.4": {"mandiri": "B", "evaluator": "B", "was": "CC"},
}

if __name__ == "__main__":
    main()
