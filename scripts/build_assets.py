#!/usr/bin/env python3
"""Copy the compiled front-end packages into the Flask static folder.

Run after `npm ci`. The results are generated (git-ignored) and replaced wholesale on every
run so no stale file survives an upgrade of a pinned version:

- indsatsteam/static/vendor/dkfds/{css,js,fonts,img}: Det Fælles Designsystem (DKFDS).
- indsatsteam/static/vendor/chartjs/chart.umd.min.js (+ source map and licences): Chart.js,
  used by static/js/dashboard-charts.js on the manager dashboard. The UMD bundle includes
  @kurkle/color, so its licence is copied too.

axe-core is deliberately not copied: only the tests use it, and they read it straight from
node_modules.
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

CHARTJS = ROOT / "node_modules" / "chart.js"
CHARTJS_TARGET = ROOT / "indsatsteam" / "static" / "vendor" / "chartjs"
# (source, name in the target folder); the first two must exist, the map is optional.
CHARTJS_FILES = (
    (CHARTJS / "dist" / "chart.umd.min.js", "chart.umd.min.js"),
    (CHARTJS / "LICENSE.md", "LICENSE.md"),
)
CHARTJS_OPTIONAL = (
    (CHARTJS / "dist" / "chart.umd.min.js.map", "chart.umd.min.js.map"),
    (ROOT / "node_modules" / "@kurkle" / "color" / "LICENSE.md", "LICENSE-kurkle-color.md"),
)


def _version(package_dir: Path) -> str:
    package_json = package_dir / "package.json"
    try:
        return json.loads(package_json.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return "(unknown version)"


def _dkfds_version() -> str:
    return _version(DKFDS_DIST.parent)


def main() -> int:
    missing = [part for part in PARTS if not (DKFDS_DIST / part).is_dir()]
    if missing:
        print(
            f"build_assets: {DKFDS_DIST} is missing {', '.join(missing)}.\n"
            "Run `npm ci` in the project root first (it installs dkfds from package-lock.json).",
            file=sys.stderr,
        )
        return 1
    missing = [str(source.relative_to(ROOT)) for source, _ in CHARTJS_FILES
               if not source.is_file()]
    if missing:
        print(
            f"build_assets: Chart.js is missing {', '.join(missing)}.\n"
            "Run `npm ci` in the project root first (it installs chart.js from "
            "package-lock.json).",
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

    if CHARTJS_TARGET.exists():
        shutil.rmtree(CHARTJS_TARGET)
    CHARTJS_TARGET.mkdir(parents=True)
    for source, name in CHARTJS_FILES + CHARTJS_OPTIONAL:
        if source.is_file():
            shutil.copy2(source, CHARTJS_TARGET / name)
    print(f"build_assets: copied chart.js {_version(CHARTJS)} to "
          f"{CHARTJS_TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
