"""``python -m secretdesk`` and the ``secretdesk`` command."""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv == ["--version"]:  # needs nothing else: no parser, catalogue, log or guard
        from secretdesk import __version__

        sys.stdout.write(f"SecretDesk {__version__}\n")
        sys.exit(0)
    from secretdesk.cli import main as cli_main

    sys.exit(cli_main(argv))


if __name__ == "__main__":
    main()
