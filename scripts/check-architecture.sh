#!/usr/bin/env bash
# Every import of every Swift file under Sources/<Target>/ is one that the "Module | May import" table of
# docs/architecture.md allows for <Target>, and every directory under Sources/ has a row in that table.
# A row may name a target that does not exist yet; a name written A/B/C in a cell allows each of A, B and C.
# Every source file the page names in backticks (Target/File.swift) must exist.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - <<'PYTHON'
import re
import sys
from pathlib import Path

DOC = "docs/architecture.md"
IMPORT = re.compile(
    r"^\s*(?:@[A-Za-z_]\w*(?:\([^)]*\))?\s+)*"  # @testable, @_implementationOnly, @preconcurrency, @_spi(X) ...
    r"(?:(?:public|package|internal|fileprivate|private|open)\s+)?"  # access-level imports
    r"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?"  # import struct M.T
    r"([A-Za-z_]\w*)"  # the module (M of M.Submodule)
)


def cells(line):
    """The cells of a Markdown table row."""
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def read_table():
    """The table's rows: target name -> set of module names it may import."""
    rows = {}
    lines = Path(DOC).read_text().splitlines()
    for index, line in enumerate(lines):
        if line.lstrip().startswith("|") and [cell.lower() for cell in cells(line)] == ["module", "may import"]:
            for number, row in enumerate(lines[index + 2 :], start=index + 3):
                if not row.lstrip().startswith("|"):
                    break
                if len(cells(row)) != 2:
                    sys.exit(f"error: {DOC}:{number}: a row of the Module | May import table needs two cells")
                module, allowed = cells(row)
                module = module.strip("`*")
                names = re.split(r"[,;/]", allowed.replace("`", ""))
                rows[module] = {name.strip() for name in names if name.strip() not in ("", "—", "-")}
            return rows
    sys.exit(f"error: {DOC} has no table with the header | Module | May import |")


def imports(path):
    """(line number, module) of each import outside comments and multi-line strings."""
    found = []
    depth = 0  # nesting of /* */ comments (Swift's nest)
    closing = None  # the delimiter that ends the multi-line string being read, if any
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if depth == 0 and closing is None and IMPORT.match(line):
            for statement in line.split("//")[0].split(";"):  # import A; import B
                if match := IMPORT.match(statement):
                    found.append((number, match.group(1)))
        i = 0
        while i < len(line):
            if depth > 0:
                if line.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif line.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            elif closing is not None:
                if line.startswith(closing, i):
                    i, closing = i + len(closing), None
                else:
                    i += 2 if line[i] == "\\" else 1
            elif line.startswith("//", i):
                break
            elif line.startswith("/*", i):
                depth, i = 1, i + 2
            elif (string := re.match(r'(#*)("""|")', line[i:])) is not None:
                hashes, quotes = string.groups()
                i += len(string.group(0))
                if quotes == '"""':
                    closing = '"""' + hashes
                    continue
                end = '"' + hashes  # a one-line string ends on its line
                while i < len(line) and not line.startswith(end, i):
                    i += 2 if line[i] == "\\" and not hashes else 1
                i += len(end)
            else:
                i += 1
    return found


table = read_table()
status = 0
for target in sorted(path for path in Path("Sources").iterdir() if path.is_dir()):
    name = target.name
    if name not in table:
        print(f"Sources/{name}: target has no row in the Module | May import table of {DOC}")
        status = 1
        continue
    for file in sorted(target.rglob("*.swift")):
        for number, module in imports(file):
            if module not in table[name]:
                print(f"{file}:{number}: imports {module}, which {DOC} does not allow for {name}")
                status = 1
# Every source file the page names (`Target/File.swift`, as in the path of one trace) exists.
named = set(re.findall(r"`([A-Za-z]\w*/[\w/+.-]+\.swift)`", Path(DOC).read_text()))
for missing in sorted(name for name in named if not (Path("Sources") / name).is_file()):
    print(f"{DOC}: names Sources/{missing}, which does not exist")
    status = 1
targets = sum(1 for path in Path("Sources").iterdir() if path.is_dir())
files = sum(1 for _ in Path("Sources").rglob("*.swift"))
if status == 0:
    print(
        f"architecture: the imports of {files} Swift files in {targets} targets agree with {DOC}, "
        f"and the {len(named)} source files it names exist"
    )
sys.exit(status)
PYTHON
