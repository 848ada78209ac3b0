"""Command-line front end (``secretdesk <command>``); every service operation is here too."""

from secretdesk.cli.main import main

__all__ = ["main"]
