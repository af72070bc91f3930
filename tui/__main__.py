"""`python -m tui`: the `guichet` command (what `guichet web` runs for each browser tab)."""

from __future__ import annotations

import sys

from tui.cli import main

sys.exit(main())
