"""The layers of DESIGN.md hold at import time: the API and the client never load Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["b2c_tui.api", "b2c_tui.graph.client", "b2c_tui.emulator",
                                    "b2c_tui.connection", "b2c_tui.frames",
                                    "b2c_tui.frames.auth_methods"])
def test_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_graph_client_does_not_import_pandas() -> None:
    code = "import sys, b2c_tui.graph.client; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
