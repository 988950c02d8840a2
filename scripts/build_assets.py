#!/usr/bin/env python3
"""Copy the compiled Det Fælles Designsystem (DKFDS) assets into the Flask static folder.

Run after `npm ci`. The result, indsatsteam/static/vendor/dkfds/{css,js,fonts,img}, is
generated (git-ignored) and replaced wholesale on every run so no stale file survives an
upgrade of the pinned dkfds version. axe-core is deliberately not copied: only the tests
use it, and they read it straight from node_modules.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DKFDS_DIST = ROOT / "node_modules" / "dkfds" / "dist"
TARGET = ROOT / "indsatsteam" / "static" / "vendor" / "dkfds"
PARTS = ("css", "js", "fonts", "img")


def _dkfds_version() -> str:
    package_json = DKFDS_DIST.parent / "package.json"
    try:
        return json.loads(package_json.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return "(unknown version)"


def main() -> int:
    missing = [part for part in PARTS if not (DKFDS_DIST / part).is_dir()]
    if missing:
        print(
            f"build_assets: {DKFDS_DIST} is missing {', '.join(missing)}.\n"
            "Run `npm ci` in the project root first (it installs dkfds from package-lock.json).",
            file=sys.stderr,
        )
        return 1

    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    for part in PARTS:
        shutil.copytree(DKFDS_DIST / part, TARGET / part)
    # The licence travels with the files (MIT, OFL-1.1 for the font, Apache-2.0 for icons).
    licence = DKFDS_DIST / "LICENSE.md"
    if licence.is_file():
        shutil.copy2(licence, TARGET / "LICENSE.md")

    print(f"build_assets: copied dkfds {_dkfds_version()} to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
