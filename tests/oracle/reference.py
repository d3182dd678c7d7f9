"""The exact reference: every figure sakip publishes, recomputed without sakip.

Reads a pipeline file, the TOML rule files it names and the inbox (CSV and
JSON submissions), with nothing but the Python standard library: `tomllib`
for the rules, `fractions.Fraction` for the arithmetic (no float anywhere),
and the README's rules written out again here:

- a criterion earns value / full marks × points, points being the
  sub-component weight / its number of criteria (`rollup = "mean"`) or the
  criterion's own weight (`rollup = "sum"`); full marks are the scale's
  highest value;
- an unanswered criterion (blank, or not in the file) earns 0 under
  `missing = "zero"`, is left out under `"exclude"` (the sub-component scores
  what the answered criteria earned as a share of what they could earn), and
  under `"reject"` the worksheet is not scored;
- the total is the exact sum, rounded half-up once to hundredths, and graded
  on that rounded figure; component figures are rounded half-up for storage;
- competition ranks (1, 2, 2, 4) per province and nationally on the stored
  total, percentile = 100 × (n − rank) / (n − 1) half-up (100 for a lone
  unit), and last year's figures from year − 1 only.

Used by tests/oracle/check.py (CI) and by benches/peers/compare.py.
"""
from __future__ import annotations

import csv
import decimal
import json
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

HALF = Fraction(1, 2)


def exact(v) -> Fraction:
    """A TOML number or string ("4.5", "25/3") as an exact fraction."""
    if isinstance(v, bool):
        raise ValueError(f"not a number: {v!r}")
    if isinstance(v, (int, decimal.Decimal)):
        return Fraction(v)
    if isinstance(v, str):
        return Fraction(v.strip())
    raise ValueError(f"not a number: {v!r}")


def read_toml(path: Path) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh, parse_float=decimal.Decimal)


def hundredths_half_up(x: Fraction) -> int:
    """x (>= 0) rounded half-up to an integer number of hundredths."""
    n = x * 100 + HALF
    return n.numerator // n.denominator


@dataclass
class AnswerScale:
    id: str
    listed: dict[str, Fraction] | None  # upper-cased answer or alias -> value
    low: Fraction | None = None  # a numeric range's bounds
    high: Fraction | None = None

    @property
    def full_marks(self) -> Fraction:
        return max(self.listed.values()) if self.listed is not None else self.high

    def value(self, text: str) -> Fraction | None:
        """The answer's value; None if it is not on the scale."""
        t = text.strip()
        if self.listed is not None:
            return self.listed.get(t.upper())
        try:
            v = Fraction(decimal.Decimal(t.replace(",", ".")))
        except (decimal.InvalidOperation, ValueError):
            return None
        return v if self.low <= v <= self.high else None


@dataclass
class Criterion:
    code: str
    scale: str
    weight: Fraction | None


@dataclass
class Sub:
    code: str
    weight: Fraction
    criteria: list[Criterion] = field(default_factory=list)


@dataclass
class Component:
    code: str
    name: str
    weight: Fraction
    subs: list[Sub] = field(default_factory=list)


@dataclass
class Rubric:
    id: str
    rollup: str
    missing: str
    components: list[Component]

    def criteria(self):
        return [c for comp in self.components for s in comp.subs for c in s.criteria]

    def points(self, sub: Sub, c: Criterion) -> Fraction:
        return sub.weight / len(sub.criteria) if self.rollup == "mean" else c.weight


@dataclass
class Band:
    predikat: str
    lower: Fraction
    lower_inclusive: bool
    upper: Fraction


@dataclass
class Rules:
    years: dict[int, tuple[str, str]]  # year -> (rubric id, predikat scale id)
    rubrics: dict[str, Rubric]
    answer_scales: dict[str, AnswerScale]
    scales: dict[str, list[Band]]


def _resolve(root: Path, kind_dir: str, ref: str) -> tuple[str, Path]:
    if ref.endswith(".toml"):
        p = (root / ref).resolve()
        return p.stem, p
    return ref, root / kind_dir / f"{ref}.toml"


def _answer_scale(root: Path, ref: str, into: dict[str, AnswerScale]) -> str:
    sid, path = _resolve(root, "answer-scales", ref)
    if sid not in into:
        doc = read_toml(path)
        if "range" in doc:
            into[sid] = AnswerScale(sid, None, exact(doc["range"]["min"]), exact(doc["range"]["max"]))
        else:
            values = {}
            for a in doc["answers"]:
                for name in [a["answer"], *a.get("aliases", [])]:
                    values[str(name).strip().upper()] = exact(a["value"])
            into[sid] = AnswerScale(sid, values)
    return sid


def _rubric(root: Path, ref: str, scales: dict[str, AnswerScale]) -> Rubric:
    rid, path = _resolve(root, "rubrics", ref)
    doc = read_toml(path)
    comps = []
    for comp in doc["components"]:
        c = Component(str(comp["code"]), comp["name"], exact(comp["weight"]))
        for sub in comp["subcomponents"]:
            s = Sub(str(sub["code"]), exact(sub["weight"]))
            for crit in sub["criteria"]:
                scale_ref = crit.get("answer_scale") or sub.get("answer_scale") or doc.get("answer_scale")
                sid = _answer_scale(root, scale_ref, scales)
                w = exact(crit["weight"]) if "weight" in crit else None
                s.criteria.append(Criterion(str(crit["code"]), sid, w))
            c.subs.append(s)
        comps.append(c)
    return Rubric(rid, doc.get("rollup", "mean"), doc.get("missing", "zero"), comps)


def _bands(root: Path, ref: str) -> tuple[str, list[Band]]:
    sid, path = _resolve(root, "scales", ref)
    bands = []
    for b in read_toml(path)["bands"]:
        if "above" in b:
            bands.append(Band(b["predikat"], exact(b["above"]), False, exact(b["to"])))
        else:
            bands.append(Band(b["predikat"], exact(b["from"]), True, exact(b["to"])))
    return sid, bands


def load_rules(pipeline: Path, first_year: int = 1800, last_year: int = 2100) -> Rules:
    """The pipeline's [[evaluations]] with every rule file they name; ids
    resolve beside the pipeline file."""
    doc = read_toml(pipeline)
    root = pipeline.resolve().parent
    rules = Rules({}, {}, {}, {})
    for ev in doc["evaluations"]:
        rubric = _rubric(root, ev["rubric"], rules.answer_scales)
        rules.rubrics.setdefault(rubric.id, rubric)
        sid, bands = _bands(root, ev["scale"])
        rules.scales.setdefault(sid, bands)
        for y in range(max(int(ev["from"]), first_year), min(int(ev.get("to", last_year)), last_year) + 1):
            rules.years[y] = (rubric.id, sid)
    return rules


def grade(bands: list[Band], score: Fraction) -> str | None:
    for b in bands:
        if (score > b.lower or (b.lower_inclusive and score >= b.lower)) and score <= b.upper:
            return b.predikat
    return None


def canonical(code: str) -> str:
    return code.strip().replace(".", "")


def load_registry(folder: Path) -> dict[str, tuple[str, str]]:
    """unit code -> (province code, unit name), from provinces.csv and regencies.csv."""
    units = {}
    with open(folder / "provinces.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            units[r["code"]] = (r["code"], f"KPU Provinsi {r['name']}")
    with open(folder / "regencies.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            units[canonical(r["code"])] = (r["province_code"], f"KPU {r['name']}")
    return units


# Column names a CSV header may use, both languages (README "The inbox").
ALIASES = {
    "unit_code": "unit_code", "kode_satker": "unit_code",
    "criterion": "criterion", "kode_kriteria": "criterion",
    "answer": "answer", "jawaban": "answer",
    "track": "track", "penilaian": "track",
    "year": "year", "tahun": "year",
}


def read_submission(path: Path) -> tuple[str, list[tuple[str, str, str]]]:
    """(unit code, [(track, criterion, answer)]) of a CSV or JSON file the
    oracle generator wrote (well-formed input only: the oracle checks
    arithmetic, not refusals)."""
    rows = []
    if path.suffix == ".json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        unit = canonical(str(doc["unit_code"]))
        for a in doc["answers"]:
            rows.append(((a.get("track") or doc.get("track") or "evaluator").strip().lower(), str(a["criterion"]).strip(), str(a.get("answer") or "")))
        return unit, rows
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = [ALIASES[h.strip().lower().replace(" ", "_").replace("-", "_")] for h in next(reader)]
        unit = None
        for cells in reader:
            r = dict(zip(header, cells))
            unit = canonical(r.get("unit_code") or "") or unit
            rows.append(((r.get("track") or "evaluator").strip().lower(), r["criterion"].strip(), r["answer"]))
    if unit is None:
        unit = canonical(path.name.split("-")[0])
    return unit, rows


@dataclass
class Sheet:
    """One scored worksheet (year, unit, track)."""
    province: str
    name: str
    rubric: str
    scale: str
    total: Fraction
    h: int  # stored total, in hundredths
    predikat: str
    missing: list[str]
    components: list[tuple[str, str, int, int]]  # code, name, score h, max h


def score_sheet(rules: Rules, rubric: Rubric, answers: dict[str, str]) -> tuple[Fraction, list[Fraction], list[str]] | None:
    """(exact total, exact component scores, missing codes), or None when
    the rubric refuses an incomplete worksheet."""
    missing = [c.code for c in rubric.criteria() if not answers.get(c.code, "").strip()]
    if missing and rubric.missing == "reject":
        return None
    comps = []
    for comp in rubric.components:
        comp_total = Fraction(0)
        for sub in comp.subs:
            earned, could = Fraction(0), Fraction(0)
            for c in sub.criteria:
                text = answers.get(c.code, "").strip()
                if not text:
                    continue
                scale = rules.answer_scales[c.scale]
                v = scale.value(text)
                if v is None:
                    raise ValueError(f"answer {text!r} not on scale {c.scale} (criterion {c.code})")
                earned += v / scale.full_marks * rubric.points(sub, c)
                could += rubric.points(sub, c)
            if rubric.missing == "exclude":
                comp_total += earned * sub.weight / could if could else Fraction(0)
            else:
                comp_total += earned
        comps.append(comp_total)
    return sum(comps, Fraction(0)), comps, missing


def reference(pipeline: Path, inbox: Path | None = None, registry: Path | None = None) -> dict:
    """Every table's figures: {"scores": {(year, unit, track): Sheet},
    "rankings": {(year, unit): dict}, "component_rankings": {(year, unit, component): dict}}.
    The inbox and registry default to the pipeline file's."""
    rules = load_rules(pipeline)
    doc = read_toml(pipeline)
    base = pipeline.resolve().parent
    inbox = inbox or base / doc["inbox"]
    registry = registry or base / doc["registry"]
    units = load_registry(registry)
    sheets: dict[tuple[int, str, str], Sheet] = {}
    # Every worksheet stored in `answers`: (criteria in the rubric, codes unanswered).
    worksheets: dict[tuple[int, str, str], tuple[int, list[str]]] = {}
    # Worksheets a `missing = "reject"` rubric refuses: rows refused.
    refused: dict[tuple[int, str, str], int] = {}
    for path in sorted(p for p in inbox.glob("*/*") if p.suffix in (".csv", ".json")):
        year = int(path.parent.name)
        unit, rows = read_submission(path)
        rid, sid = rules.years[year]
        rubric = rules.rubrics[rid]
        per_track: dict[str, dict[str, str]] = defaultdict(dict)
        for track, criterion, answer in rows:
            per_track[track].setdefault(criterion, answer)  # a repeated criterion: the first answer counts
        for track, answers in per_track.items():
            criteria = rubric.criteria()
            scored = score_sheet(rules, rubric, answers)
            if scored is None:
                # Every row of the worksheet is refused, none stored.
                refused[(year, unit, track)] = sum(1 for t, _, _ in rows if t == track)
                continue
            worksheets[(year, unit, track)] = (len(criteria), [c.code for c in criteria if not answers.get(c.code, "").strip()])
            total, comps, missing = scored
            h = hundredths_half_up(total)
            province, name = units[unit]
            sheets[(year, unit, track)] = Sheet(
                province, name, rid, sid, total, h, grade(rules.scales[sid], Fraction(h, 100)), missing,
                [(c.code, c.name, hundredths_half_up(x), hundredths_half_up(c.weight)) for c, x in zip(rubric.components, comps)],
            )

    evaluator = {(y, u): s for (y, u, t), s in sheets.items() if t == "evaluator"}
    rp = competition_ranks(evaluator, lambda k, s: (k[0], s.province), lambda s: s.h)
    rn = competition_ranks(evaluator, lambda k, s: k[0], lambda s: s.h)
    n_in = defaultdict(int)
    for (y, _u), s in evaluator.items():
        n_in[(y, s.province)] += 1
    rankings = {}
    for (y, u), s in evaluator.items():
        n, r = n_in[(y, s.province)], rp[(y, u)]
        pct = Fraction(hundredths_half_up(Fraction(100 * (n - r), n - 1)), 100) if n > 1 else Fraction(100)
        prev = evaluator.get((y - 1, u))
        rankings[(y, u)] = {
            "province_code": s.province, "unit_name": s.name, "score": s.h, "predikat": s.predikat,
            "rank_province": r, "rank_national": rn[(y, u)], "units_in_province": n, "percentile": pct,
            "prev_score": prev.h if prev else None,
            "prev_rank_province": rp[(y - 1, u)] if prev else None,
            "score_change": s.h - prev.h if prev else None,
            "rank_change": rp[(y - 1, u)] - r if prev else None,
            "prev_predikat": prev.predikat if prev else None,
        }
    comp_rows = {(y, u, code): (s, h, mx, cname) for (y, u), s in evaluator.items() for code, cname, h, mx in s.components}
    crp = competition_ranks(comp_rows, lambda k, v: (k[0], v[0].province, k[2]), lambda v: v[1])
    crn = competition_ranks(comp_rows, lambda k, v: (k[0], k[2]), lambda v: v[1])
    component_rankings = {
        k: {"province_code": s.province, "unit_name": s.name, "component_name": cname, "score": h, "max_score": mx,
            "rank_province": crp[k], "rank_national": crn[k]}
        for k, (s, h, mx, cname) in comp_rows.items()
    }
    return {"worksheets": worksheets, "refused": refused, "scores": sheets, "rankings": rankings, "component_rankings": component_rankings, "rules": rules}


def competition_ranks(rows: dict, group, value) -> dict:
    """key -> competition rank (1, 2, 2, 4) of value, highest first, within group."""
    groups = defaultdict(list)
    for k, r in rows.items():
        groups[group(k, r)].append((value(r), k))
    ranks = {}
    for members in groups.values():
        members.sort(key=lambda t: -t[0])
        prev, prev_rank = None, 0
        for i, (v, k) in enumerate(members, start=1):
            if v != prev:
                prev, prev_rank = v, i
            ranks[k] = prev_rank
    return ranks
