"""The arrows point down: the counting engine stands alone.

`tally` and `apportion` import nothing from Django nor from the rest of `frombelow`,
so anyone can use them as a library (DESIGN.md, Architecture).
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "frombelow"
STANDALONE = ("tally", "apportion")


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative imports stay inside the package by construction
                continue
            found.append((node.lineno, node.module or ""))
    return found


@pytest.mark.parametrize("package", STANDALONE)
def test_standalone_packages_import_only_themselves(package: str) -> None:
    files = sorted((SRC / package).rglob("*.py"))
    assert files, f"{package} has no modules"
    wrong = [
        f"{path.relative_to(SRC)}:{line} imports {name}"
        for path in files
        for line, name in imports_of(path)
        if name.split(".")[0] == "django" or (name.split(".")[0] == "frombelow" and name.split(".")[1:2] != [package])
    ]
    assert not wrong, "\n".join(wrong)


def imports_beyond(package: str, allowed: set[str]) -> list[str]:
    """Where ``package`` (a folder, or one module) imports Django or a part of frombelow outside ``allowed``."""
    files = sorted((SRC / package).rglob("*.py")) if (SRC / package).is_dir() else [SRC / package]
    assert files, f"{package} has no modules"
    return [
        f"{path.relative_to(SRC)}:{line} imports {name}"
        for path in files
        for line, name in imports_of(path)
        if name.split(".")[0] == "django"
        or (name.split(".")[0] == "frombelow" and name.split(".")[1:2] and name.split(".")[1] not in allowed)
    ]


def test_the_rules_of_federation_stand_on_the_engine_alone() -> None:
    # federation/ is pure Python: it may use the counting engine below it, nothing above.
    wrong = imports_beyond("federation", {"federation", "tally", "apportion"})
    assert not wrong, "\n".join(wrong)


# The ledger and the ballot box stand beside the rules, on them and the engine; the box may
# use the ledger, the ledger never the box; neither the web nor the command line.
BESIDE_THE_RULES = {
    "ledger": {"ledger", "federation", "tally", "apportion"},
    "ballotbox": {"ballotbox", "ledger", "federation", "tally", "apportion"},
}


@pytest.mark.parametrize("package", BESIDE_THE_RULES)
def test_the_ledger_and_the_ballot_box_stand_on_the_rules_alone(package: str) -> None:
    wrong = imports_beyond(package, BESIDE_THE_RULES[package])
    assert not wrong, "\n".join(wrong)


def test_the_demo_drives_the_core_never_the_web_nor_the_command_line() -> None:
    # demo.py simulates a federation for `frombelow export --demo` (and the web's demo): it
    # may use the rules, the ledger and the box, as the platform does; the CLI uses it, not the reverse.
    wrong = imports_beyond("demo.py", {"federation", "ledger", "ballotbox", "tally", "apportion"})
    assert not wrong, "\n".join(wrong)


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import django.db\nfrom frombelow.federation import x\nfrom frombelow.tally import y\n")
    names = [name for _, name in imports_of(bad)]
    assert names == ["django.db", "frombelow.federation", "frombelow.tally"]


# The platform: pages and API handlers read through queries and change things through actions;
# only the stores, the projector and the actions that keep accounts write tables.
WEB = SRC / "web"
WRITES = ("create", "bulk_create", "save", "update", "delete", "update_or_create", "get_or_create")
NOT_TABLES = ("messages.", "members.", "router.")  # a dict, a set, the API's DELETE route: not tables


def writes_in(path: Path) -> list[str]:
    """Calls in ``path`` that write a table: ``X.objects.create(…)``, ``row.save()``, ``….update(…)``, …"""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            called = ast.unparse(node.func)
            if not called.startswith(NOT_TABLES):
                calls.append(f"{path.name}:{node.lineno} {called}(…)")
    return calls


@pytest.mark.parametrize("folder", ["views", "api", "queries"])
def test_pages_api_and_queries_write_no_table(folder: str) -> None:
    found = [call for path in sorted((WEB / folder).rglob("*.py")) for call in writes_in(path)]
    assert not found, "only actions change things:\n" + "\n".join(found)


def for_type_checking(path: Path) -> set[int]:
    """Lines of the imports under ``if TYPE_CHECKING:`` (names for annotations, never run)."""
    lines = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            lines |= {n.lineno for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))}
    return lines


def test_pages_and_api_read_the_tables_through_queries() -> None:
    wrong = [
        f"{path.relative_to(SRC)}:{line} imports {name}"
        for folder in ("views", "api")
        for path in sorted((WEB / folder).rglob("*.py"))
        for line, name in imports_of(path)
        if name == "frombelow.web.models"
        and line not in for_type_checking(path)
        and path.name != "auth.py"  # the API's token check reads its own table
    ]
    assert not wrong, "\n".join(wrong)


def test_the_write_check_sees_writes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f(row):\n    Row.objects.create(x=1)\n    row.save()\n    messages.update(a=1)\n")
    assert writes_in(bad) == ["bad.py:2 Row.objects.create(…)", "bad.py:3 row.save(…)"]
