"""``--log-file``: a debug log readable only by its owner, every line redacted.

The file is created 0600 (and an existing one tightened to 0600) because it holds tenant data:
user names, ids, sign-in names. Tokens and secrets never reach it: a
:class:`~b2c_tui.graph.redact.RedactingFilter` on the handler masks every record, its
exception text and its stack, whichever library logged it.
"""

from __future__ import annotations

import io
import logging
import os
from typing import cast

from ..graph.redact import RedactingFilter

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class PrivateFileHandler(logging.FileHandler):
    """A ``FileHandler`` whose file is opened 0600 from the first byte (no window in which a
    umask-made 0644 file exists)."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in self.mode else os.O_TRUNC)
        fd = os.open(self.baseFilename, flags, 0o600)
        try:
            if os.name == "posix":
                os.fchmod(fd, 0o600)  # an existing file keeps its mode through os.open
            # The handler keeps the stream open for its lifetime (closed in close()).
            stream = open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115
            return cast(io.TextIOWrapper, stream)
        except BaseException:
            os.close(fd)
            raise


def setup_logging(path: str, *, level: int = logging.DEBUG) -> logging.Handler:
    """Send every log record (the root logger's) to ``path``, redacted; returns the handler
    (tests remove it again)."""
    handler = PrivateFileHandler(path, encoding="utf-8")
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return handler
