"""``python -m secretdesk`` and the ``secretdesk`` command: the entry is secretdesk/entry.py."""

from __future__ import annotations

import sys


def main() -> None:
    from secretdesk.entry import main as run

    sys.exit(run())


if __name__ == "__main__":
    main()
