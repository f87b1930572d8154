"""``python -m b2c_tui.cli``: the same as the ``b2c-tui`` command."""

import sys

from . import main

sys.exit(main())
