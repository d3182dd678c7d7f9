#!/usr/bin/env python3
"""Report circles in the module graph of src/.

Reads every `crate::...` path (in `use` lines and inline) of every .rs file
under src/ and draws two kinds of graph:

  * between top-level modules: the files and folders directly under src/
    (src/rules.rs and src/rules/ are the one module `rules`);
  * between siblings inside each folder: src/ingest/read/csv.rs and
    src/ingest/read/json.rs are siblings `csv` and `json` of `ingest::read`.

A path counts for the deepest pair of modules where the two files part ways:
`use crate::rules::rubric::Rubric` in src/score/units.rs is an edge
score -> rules, and in src/rules/pipeline.rs an edge pipeline -> rubric
inside rules/. A `mod.rs` (or `folder.rs`) is the folder's parent, not a
sibling, so its re-exports and `mod` lines draw no sibling edges; `super::`
paths are resolved the same way as `crate::` ones.

Prints every circle found (each strongly connected group of more than one
module, with the edges that make it and a file and line for each edge) and
exits 1 if there is one, 0 if none. Standard library only.

Usage: python3 scripts/module-cycles.py [SRC_DIR]   (default: src)
"""

import re
import sys
from collections import defaultdict
from pathlib import Path

# `crate::a::b`, `crate::{a, b::c}` and `super::super::x`; the grouped
# form is expanded by `expand_groups`.
PATH_START = re.compile(r"\b(crate|super|self)((?:::\s*[A-Za-z_][A-Za-z0-9_]*|::\s*\{)[^;]*)", re.S)
# Comments, strings and char literals, in one pass so that `"//"` or `'"'`
# is not mistaken for the start of another.
NOISE = re.compile(r"""//[^\n]*|/\*.*?\*/|\bb?r(#*)".*?"\1|b?"(?:\\.|[^"\\])*"|b?'(?:\\.|[^'\\])'""", re.S)
INLINE_MOD = re.compile(r"\bmod\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{")


def module_path(src: Path, file: Path) -> list[str]:
    """The module path of a file: src/ingest/read/csv.rs -> [ingest, read, csv]."""
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] == "mod":
        parts.pop()
    if parts in (["lib"], ["main"]):
        return []
    return parts


def inline_modules(text: str) -> list[tuple[int, int, str]]:
    """The spans of `mod x { ... }` blocks (such as `mod tests`), outermost first."""
    spans = []
    for m in INLINE_MOD.finditer(text):
        depth = 0
        for i in range(m.end() - 1, len(text)):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    spans.append((m.start(), i, m.group(1)))
                    break
    return spans


def blank(match: re.Match) -> str:
    """Replaces a comment or string by spaces and its newlines, to keep line numbers."""
    return re.sub(r"[^\n]", " ", match.group(0))


def expand_groups(text: str) -> list[list[str]]:
    """Splits a path such as `::a::{b::c, d}` into [[a, b, c], [a, d]]."""
    text = text.strip()
    out: list[list[str]] = []

    def walk(s: str, prefix: list[str]) -> None:
        s = s.strip().lstrip(":").strip()
        if not s:
            if prefix:
                out.append(prefix)
            return
        if s.startswith("{"):
            depth, items, start = 0, [], 1
            for i, ch in enumerate(s):
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                    if depth == 0:
                        items.append(s[start:i])
                        break
                elif ch == "," and depth == 1:
                    items.append(s[start:i])
                    start = i + 1
            for item in items:
                if item.strip():
                    walk(item, prefix)
            return
        m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\s*(::)?", s)
        if not m:
            if prefix:
                out.append(prefix)
            return
        name = m.group(1)
        if m.group(2):
            walk(s[m.end():], prefix + [name])
        else:
            out.append(prefix + [name])

    walk(text, [])
    return out


def targets(src: Path, file: Path, text: str):
    """Yields (line, absolute module path) for every crate-relative path in `text`."""
    text = NOISE.sub(blank, text)
    spans = inline_modules(text)
    for m in PATH_START.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        # The module the path is written in: the file's, plus any `mod x { }` around it.
        here = module_path(src, file) + [name for start, end, name in spans if start <= m.start() < end]
        head, rest = m.group(1), m.group(2)
        # Only the path itself: stop at what cannot continue a path.
        cut = re.match(r"(?:\s*::\s*(?:[A-Za-z_][A-Za-z0-9_]*|\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}))*", rest)
        rest = cut.group(0) if cut else ""
        if head == "crate":
            base: list[str] = []
        else:
            # `super` is the parent of the module the path is written in: for
            # src/a/b.rs that is `a`, for src/a/mod.rs the crate root.
            base = here[:]
            if head == "super":
                base = base[:-1]
            # further `super::` segments
            while True:
                s = re.match(r"\s*::\s*super\b", rest)
                if not s:
                    break
                base = base[:-1]
                rest = rest[s.end():]
        for path in expand_groups(rest):
            path = [p for p in path if p != "self"]
            yield line, base + path


def main() -> int:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    files = sorted(src.rglob("*.rs"))
    if not files:
        print(f"no .rs files under {src}", file=sys.stderr)
        return 2
    # Which module paths exist, to cut an item path (crate::a::b::Item) down to
    # the deepest module it names.
    modules = {tuple(module_path(src, f)) for f in files}
    for m in list(modules):
        for i in range(1, len(m)):
            modules.add(m[:i])

    # edges[folder][(from, to)] = first (file, line) seen
    edges: dict[tuple, dict[tuple[str, str], tuple[Path, int]]] = defaultdict(dict)
    for f in files:
        here = tuple(module_path(src, f))
        if not here:
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        for line, path in targets(src, f, text):
            there = tuple(path)
            while there and there not in modules:
                there = there[:-1]
            if not there:
                continue
            # Deepest common folder; the two modules are the next step down on each side.
            k = 0
            while k < min(len(here), len(there)) and here[k] == there[k]:
                k += 1
            if k == len(here) or k == len(there):
                continue  # one contains the other: parent and child, not siblings
            folder = here[:k]
            edges[folder].setdefault((here[k], there[k]), (f, line))

    found = 0
    for folder in sorted(edges):
        graph: dict[str, set[str]] = defaultdict(set)
        for a, b in edges[folder]:
            graph[a].add(b)
        for group in strongly_connected(graph):
            if len(group) < 2:
                continue
            found += 1
            where = "src/" + "/".join(folder) if folder else "src"
            print(f"circle in {where}: {' <-> '.join(sorted(group))}")
            for (a, b), (f, line) in sorted(edges[folder].items()):
                if a in group and b in group:
                    print(f"  {a} -> {b}   ({f}:{line})")
    if found:
        print(f"{found} circle(s)")
        return 1
    print("no circle between modules under", src)
    return 0


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative so deep graphs cannot overflow the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[set[str]] = []
    counter = 0
    nodes = sorted(set(graph) | {b for bs in graph.values() for b in bs})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    group.add(w)
                    if w == node:
                        break
                groups.append(group)
    return groups


if __name__ == "__main__":
    sys.exit(main())
