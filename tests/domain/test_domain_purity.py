import ast
from pathlib import Path

import pytest

import indsatsteam.domain

DOMAIN_DIR = Path(indsatsteam.domain.__file__).parent
ALLOWED = {"__future__", "calendar", "collections", "dataclasses", "datetime", "enum",
           "functools", "math", "re", "statistics", "typing", "unicodedata", "urllib", "zoneinfo"}
# Pure data packages the rules may use: no web framework, no database, no I/O.
ALLOWED_THIRD_PARTY = {"holidays"}


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN_DIR.glob("*.py")), ids=lambda path: path.name)
def test_domain_modules_import_only_the_standard_library_and_data_packages(path):
    # The rules must run without Flask or a database; relative imports stay inside.
    assert _imported_modules(path) <= ALLOWED | ALLOWED_THIRD_PARTY
