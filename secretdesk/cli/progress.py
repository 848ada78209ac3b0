"""How far a long command is, on the terminal: one line on standard error, written over as
the service reports its steps (services/progress.py), ended when the last step is reached.

Only when standard error is a terminal: a script that reads the output, or a test, sees
nothing of it. The line names what the service is doing, in the user's language, and how
far it is ("Đang kiểm tra gói 1234 trên 5000: … (24%)").
"""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from secretdesk.i18n import render_value
from secretdesk.services.progress import Progress, Step, quiet


def on_terminal(stream: TextIO | None = None) -> Progress:
    """A progress that shows each step on ``stream`` (standard error) when it is a terminal."""
    out = stream if stream is not None else sys.stderr
    if not out.isatty():
        return quiet()
    shown = [0]  # the length of the line on the screen, to clear what a shorter one leaves

    def show(step: Step) -> None:
        width = max(20, shutil.get_terminal_size().columns - 1)
        line = f"{render_value(step.what)} ({round(100 * step.fraction)}%)"[:width]
        out.write("\r" + line.ljust(shown[0]))
        shown[0] = len(line)
        if step.done >= step.total:
            out.write("\n")
            shown[0] = 0
        out.flush()

    return Progress(show)
