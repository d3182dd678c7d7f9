"""Checks, fills and reads back the worksheet template `sakip template` writes.

Used by tests/it/template.rs. Everything it expects comes from the rubric's
own TOML (read here with tomllib) and from the answers this script writes,
never from sakip's output:

  check   TOML SCALES XLSX      the dropdown of every criterion lists exactly
                                its scale's answers; answer, notes and
                                evidence cells unlocked, every other locked
  fill    TOML SCALES XLSX OUT EXPECTED.json [--off-scale]
                                answers every criterion on both tracks as a
                                person would (openpyxl), and writes down what
                                it wrote
  compare EXPECTED.json ANSWERS_DIR REJECTS_DIR UNIT
                                the stored answers (pyarrow) equal EXPECTED
  convert XLSX FORMAT OUTDIR    saves XLSX as FORMAT (ods, xls) with
                                LibreOffice headless

Exits non-zero with a message on the first difference.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl

HEADERS = ["Kode Satker", "Tahun", "Kode Kriteria", "Uraian", "Bobot", "Pilihan Jawaban",
           "Jawaban Mandiri", "Catatan Mandiri", "Bukti", "Jawaban Evaluator", "Catatan Evaluator"]
ANSWER_COLS = {"mandiri": 7, "evaluator": 10}  # 1-based: G and J
NOTES_COLS = {"mandiri": 8, "evaluator": 11}
EVIDENCE_COL = 9
FILLED = {7, 8, 9, 10, 11}


def fail(message):
    print(f"lke.py: {message}", file=sys.stderr)
    sys.exit(1)


def criteria(rubric_path, scales_dir):
    """[(code, scale)] in rubric order; scale is {"answers": [(answer, value)]} or {"range": (min, max)}."""
    rubric = tomllib.loads(Path(rubric_path).read_text())
    out = []
    for comp in rubric["components"]:
        for sub in comp["subcomponents"]:
            for crit in sub["criteria"]:
                scale_id = crit.get("answer_scale") or sub.get("answer_scale") or rubric["answer_scale"]
                scale = tomllib.loads((Path(scales_dir) / f"{scale_id}.toml").read_text())
                if "range" in scale:
                    entry = {"range": (scale["range"]["min"], scale["range"]["max"])}
                else:
                    entry = {"answers": [(a["answer"], a["value"]) for a in scale["answers"]]}
                out.append((crit["code"], entry))
    return out


def criterion_rows(ws):
    """{code: row} of the LKE sheet, found by reading it like a person would."""
    header = next(r for r in range(1, 31) if [ws.cell(r, c).value for c in range(1, 12)] == HEADERS)
    rows = {}
    for r in range(header + 1, ws.max_row + 1):
        code = ws.cell(r, 3).value
        if code is not None:
            if code in rows:
                fail(f"criterion {code} appears twice (rows {rows[code]} and {r})")
            rows[code] = r
    return header, rows


def check(rubric_path, scales_dir, xlsx, *guide_lines):
    wb = openpyxl.load_workbook(xlsx)
    if wb.sheetnames != ["LKE", "Petunjuk"]:
        fail(f"sheets are {wb.sheetnames}")
    ws = wb["LKE"]
    crits = criteria(rubric_path, scales_dir)
    header, rows = criterion_rows(ws)
    if list(rows) != [c for c, _ in crits]:
        fail("the criterion rows are not the rubric's criteria in rubric order")
    # Every validation, by cell.
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for (r, c) in ((r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)):
                if (r, c) in by_cell:
                    fail(f"two validations on row {r} column {c}")
                by_cell[(r, c)] = dv
    answer_cells = set()
    for code, scale in crits:
        r = rows[code]
        for track, c in ANSWER_COLS.items():
            answer_cells.add((r, c))
            dv = by_cell.get((r, c))
            if dv is None:
                fail(f"{code} ({track}): no validation on row {r}")
            if dv.showErrorMessage is not True or dv.errorStyle not in (None, "stop"):
                fail(f"{code}: the validation does not refuse other values")
            if "answers" in scale:
                if dv.type != "list":
                    fail(f"{code}: validation type {dv.type}")
                listed = dv.formula1.strip('"').split(",")
                want = [a for a, _ in scale["answers"]]
                if listed != want:
                    fail(f"{code} ({track}): dropdown {listed}, the rubric's scale has {want}")
            else:
                lo, hi = scale["range"]
                if dv.type != "decimal" or dv.operator not in (None, "between") or (float(dv.formula1), float(dv.formula2)) != (float(lo), float(hi)):
                    fail(f"{code}: range validation {dv.type} {dv.formula1}..{dv.formula2}")
    stray = set(by_cell) - answer_cells
    if stray:
        fail(f"validations on cells that are no answer cells: {sorted(stray)[:5]}")
    if not ws.protection.sheet or ws.protection.password:
        fail("the LKE sheet is not protected, or has a password")
    fill_cells = {(r, c) for r in rows.values() for c in FILLED}
    for r in range(1, ws.max_row + 1):
        for c in range(1, ws.max_column + 1):
            locked = ws.cell(r, c).protection.locked
            if (r, c) in fill_cells and locked:
                fail(f"row {r} column {c} is a cell to fill but locked")
            if (r, c) not in fill_cells and not locked:
                fail(f"row {r} column {c} is unlocked but is no cell to fill")
    # Unit code and year are filled in on every criterion row.
    for code, r in rows.items():
        if ws.cell(r, 1).value in (None, "") or ws.cell(r, 2).value in (None, ""):
            fail(f"{code}: unit code or year not filled in")
    # The instructions: each given line somewhere, and every answer of every
    # scale the rubric uses on a row of its own with its value and label.
    guide = wb["Petunjuk"]
    texts = [[c for c in row] for row in guide.iter_rows(values_only=True)]
    flat = " ".join(str(c) for row in texts for c in row if c is not None)
    for line in guide_lines:
        if line not in flat:
            fail(f"the Petunjuk sheet does not say {line!r}")
    for scale_id in {scale_id for scale_id in scale_ids(rubric_path)}:
        scale = tomllib.loads((Path(scales_dir) / f"{scale_id}.toml").read_text())
        for a in scale.get("answers", []):
            value = str(a["value"]).replace(".", ",")
            want = [a["answer"], value] + ([a["label"]] if "label" in a else [])
            if not any([str(c) for c in row[:len(want)]] == want for row in texts):
                fail(f"the Petunjuk sheet has no row {want} for scale {scale_id}")
    print(json.dumps({"criteria": len(rows), "header_row": header}))


def scale_ids(rubric_path):
    rubric = tomllib.loads(Path(rubric_path).read_text())
    for comp in rubric["components"]:
        for sub in comp["subcomponents"]:
            for crit in sub["criteria"]:
                yield crit.get("answer_scale") or sub.get("answer_scale") or rubric["answer_scale"]


def fill(rubric_path, scales_dir, xlsx, out, expected_path, off_scale):
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["LKE"]
    crits = criteria(rubric_path, scales_dir)
    _, rows = criterion_rows(ws)
    expected = []
    for i, (code, scale) in enumerate(crits):
        r = rows[code]
        if "answers" in scale:
            options = scale["answers"]
            picks = {"mandiri": options[i % len(options)], "evaluator": options[(3 * i + 1) % len(options)]}
        else:
            lo, hi = scale["range"]
            picks = {"mandiri": (str(lo + i % (hi - lo + 1)), None), "evaluator": (str(hi - i % (hi - lo + 1)), None)}
        # One criterion the evaluator has not judged yet: stored as missing.
        if i == 2:
            picks["evaluator"] = None
        notes = {
            # Text that looks like a formula, typed as text (as Excel keeps
            # it after a leading apostrophe).
            "mandiri": "=SUM(A1:A9) bukan rumus" if i == 0 else (f"catatan mandiri {code}" if i % 3 == 0 else None),
            "evaluator": f"catatan evaluator untuk {code}" if i % 4 == 1 else None,
        }
        evidence = f"https://drive.example.id/lke/{code}" if i % 2 == 0 else f"Dokumen {code}.pdf"
        for track in ("mandiri", "evaluator"):
            pick = picks[track]
            if pick is not None:
                ws.cell(r, ANSWER_COLS[track]).value = pick[0]
            if notes[track] is not None:
                cell = ws.cell(r, NOTES_COLS[track])
                cell.value = notes[track]
                cell.data_type = "s"
            ws.cell(r, EVIDENCE_COL).value = evidence
            value = None
            if pick is not None:
                v = pick[1] if pick[1] is not None else pick[0]
                value = str(Fraction(str(v)))
            expected.append({
                "criterion": code, "track": track, "row": r,
                "answer": pick[0] if pick else None, "value": value,
                "notes": notes[track], "evidence": evidence,
            })
    if off_scale:
        code = crits[4][0]
        ws.cell(rows[code], ANSWER_COLS["mandiri"]).value = "Z"
        allowed = crits[4][1].get("answers", [])
        expected = {"off_scale": {"criterion": code, "row": rows[code], "allowed": [a for a, _ in allowed]}}
    wb.save(out)
    Path(expected_path).write_text(json.dumps(expected, indent=1))


def compare(expected_path, answers_dir, rejects_dir, unit):
    import pyarrow.parquet as pq
    expected = json.loads(Path(expected_path).read_text())
    table = pq.read_table(answers_dir, partitioning=None).to_pylist()
    got = {(r["track"], r["criterion"]): r for r in table if r["unit_code"] == unit}
    if len(got) != len(expected):
        fail(f"unit {unit}: {len(got)} stored answers, {len(expected)} written")
    for e in expected:
        g = got.get((e["track"], e["criterion"]))
        if g is None:
            fail(f"{e['criterion']} ({e['track']}) not stored")
        value = g["value"]
        stored_value = None if value is None else str(Fraction(Decimal(value)))
        checks = {
            "answer": (g["answer"], e["answer"]),
            "value": (stored_value, e["value"]),
            "notes": (g["notes"], e["notes"]),
            "evidence": (g["evidence"], e["evidence"]),
            "source_sheet": (g["source_sheet"], "LKE"),
            "source_row": (g["source_row"], e["row"]),
        }
        for column, (stored, wrote) in checks.items():
            if stored != wrote:
                fail(f"{e['criterion']} ({e['track']}) {column}: stored {stored!r}, written {wrote!r}")
    if rejects_dir and os.path.isdir(rejects_dir):
        refused = [r for r in pq.read_table(rejects_dir, partitioning=None).to_pylist() if r["unit_code"] == unit]
        if refused:
            fail(f"unit {unit}: rows refused: {refused[:3]}")
    print(f"{len(expected)} answers of unit {unit} read back exactly")


def convert(xlsx, fmt, outdir):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        fail("LibreOffice (soffice) is not installed: scripts/test installs Debian's libreoffice-calc")
    filters = {"ods": "ods", "xls": "xls:MS Excel 97"}
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", filters[fmt], "--outdir", outdir, xlsx],
            capture_output=True, text=True, timeout=180)
    target = Path(outdir) / (Path(xlsx).stem + "." + fmt)
    if done.returncode != 0 or not target.is_file():
        fail(f"LibreOffice did not convert {xlsx} to {fmt}: {done.stdout} {done.stderr}")
    print(target)


def main():
    args = sys.argv[1:]
    if not args:
        fail(__doc__)
    cmd, rest = args[0], args[1:]
    if cmd == "check":
        check(*rest)
    elif cmd == "fill":
        off = "--off-scale" in rest
        fill(*[a for a in rest if a != "--off-scale"], off)
    elif cmd == "compare":
        compare(*rest)
    elif cmd == "convert":
        convert(*rest)
    else:
        fail(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
