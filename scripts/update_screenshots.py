"""Regenerate the SVG snapshots from the demo tenant and copy them into screenshots/.

    python scripts/update_screenshots.py

Runs the snapshot tests with ``--snapshot-update`` (deterministic: seeded demo tenant, fixed
clock, fixed theme and terminal size), then copies each SVG to ``screenshots/<name>.svg``.
Screenshots are never drawn by hand.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ROOT / "tests" / "tui" / "__snapshots__"
OUT = ROOT / "screenshots"


def main() -> int:
    tui_tests = (ROOT / "tests" / "tui").glob("test_*snap*.py")
    tests = sorted(str(p.relative_to(ROOT)) for p in tui_tests)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "--snapshot-update", *tests],
                            cwd=ROOT)
    if result.returncode not in (0, 1):  # 1: snapshots were rewritten
        return result.returncode
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.svg"):
        old.unlink()
    count = 0
    for svg in sorted(SNAPSHOTS.glob("*/*.svg")):
        # test_diff_snapshot[80x24-unified] -> diff_80x24-unified (no brackets in file names)
        stem = re.sub(r"_snapshot\[(.+)\]$", r"_\1", svg.stem)
        name = stem.removeprefix("test_").removesuffix("_snapshot")
        area = svg.parent.name.removeprefix("test_").removesuffix("_snapshots")
        if area not in ("snapshots_shell", "users") and not name.startswith(area):
            name = f"{area}_{name}"  # e.g. auth_methods_pane
        shutil.copyfile(svg, OUT / f"{name}.svg")
        count += 1
    sys.stderr.write(f"{count} screenshots written to {OUT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
