#!/usr/bin/env python3
"""Checks a workbook of sakip's review with readers other than sakip's own.

Usage:
    workbook.py check XLSX SCALE_TOML YEAR
        openpyxl reads XLSX and every sheet must have: a frozen header row
        (panes at A2), a bold, wrapped, shaded header, a filter over the
        header and every row, and on each column headed "Predikat", one
        "equal to" colour rule per predikat of SCALE_TOML, each with its own
        fill. Every number cell's format must be one the review uses. The
        document's creator is sakip and its creation date 1 January YEAR.
        Prints one line per sheet.
    workbook.py csv XLSX OUTDIR
        LibreOffice (headless) opens XLSX and saves its first sheet as CSV
        in OUTDIR, as a planner's "Save as CSV" would: numbers as shown
        under their formats. Prints the CSV's path.

Exits 1 with a message naming the sheet and cell on the first failure.
"""

import shutil
import subprocess
import sys
import tempfile
import tomllib
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

# The number formats the review's cells take: scores, signed changes of
# score, signed changes of rank, and General for counts and ranks.
FORMATS = {"0.00", "+0.00;-0.00;0.00", "+0;-0;0", "General"}


def fail(msg):
    print(f"workbook.py: {msg}", file=sys.stderr)
    sys.exit(1)


def rgb(color):
    return None if color is None or color.rgb is None else str(color.rgb)[-6:].upper()


def check(xlsx, scale_toml, year):
    with open(scale_toml, "rb") as f:
        predikats = [b["predikat"] for b in tomllib.load(f)["bands"]]
    wb = openpyxl.load_workbook(xlsx)
    props = wb.properties
    if props.creator != "sakip":
        fail(f"{xlsx}: creator {props.creator!r}, not 'sakip'")
    if props.created != datetime(int(year), 1, 1):
        fail(f"{xlsx}: created {props.created}, not 1 January {year}")
    for ws in wb.worksheets:
        where = f"{xlsx} sheet {ws.title!r}"
        if ws.freeze_panes != "A2":
            fail(f"{where}: panes frozen at {ws.freeze_panes}, not below the header (A2)")
        for cell in ws[1]:
            if not (cell.font.b and cell.alignment.wrap_text and rgb(cell.fill.fgColor) == "EAEEF2"):
                fail(f"{where} {cell.coordinate}: header cell is not bold, wrapped and shaded")
        last = f"{get_column_letter(ws.max_column)}{ws.max_row}"
        if ws.max_row > 1 and ws.auto_filter.ref != f"A1:{last}":
            fail(f"{where}: filter over {ws.auto_filter.ref}, not A1:{last}")
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, (int, float)) and cell.number_format not in FORMATS:
                    fail(f"{where} {cell.coordinate}: number format {cell.number_format!r}")
        grade_columns = [c.column_letter for c in ws[1] if c.value == "Predikat"]
        rules = {}
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                rules.setdefault(str(cf.sqref), []).append(rule)
        for letter in grade_columns if ws.max_row > 1 else []:
            sqref = f"{letter}2:{letter}{ws.max_row}"
            got = rules.get(sqref, [])
            texts = [r.formula[0] for r in got if r.type == "cellIs" and r.operator == "equal"]
            if texts != [f'"{p}"' for p in predikats]:
                fail(f"{where}: rules on {sqref} are {texts}, not one per predikat {predikats}")
            fills = [rgb(r.dxf.fill.bgColor) for r in got]
            if None in fills or len(set(fills)) != len(fills):
                fail(f"{where}: predikat fills {fills} are missing or not distinct")
        print(f"{ws.title}: {ws.max_row} rows, {ws.max_column} columns, {len(grade_columns)} coloured")


def csv(xlsx, outdir):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        fail("LibreOffice (soffice) is not installed: scripts/test installs Debian's libreoffice-calc")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", outdir, xlsx],
            capture_output=True, text=True, timeout=180)
    target = Path(outdir) / (Path(xlsx).stem + ".csv")
    if done.returncode != 0 or not target.is_file():
        fail(f"LibreOffice did not open {xlsx}: {done.stdout} {done.stderr}")
    print(target)


def main():
    args = sys.argv[1:]
    if len(args) == 4 and args[0] == "check":
        check(*args[1:])
    elif len(args) == 3 and args[0] == "csv":
        csv(*args[1:])
    else:
        fail(__doc__)


if __name__ == "__main__":
    main()
