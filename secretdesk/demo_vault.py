"""The throw-away demo vault of ``secretdesk --demo`` and ``secretdesk demo``: a composition
root of its own (it drives the services through a year of work, services/demo.py).

Light at import: the unlock window shows the demo account as a hint before the vault's code
is loaded, so the program's modules are imported when a demo is made, not before.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_

if TYPE_CHECKING:
    from secretdesk.app import App
    from secretdesk.system.clock import Clock

DEMO_USER = "vanthu"
DEMO_PASSPHRASE = "demo-passphrase"


class DemoInFuture(SecretDeskError):
    code = "demo.last_day_not_past"
    message = N_("The demo's last day ({day}) must be before today.")


def create_demo(
    data_dir: Path,
    clock: Clock | None = None,
    *,
    populated: bool = True,
    until: date | None = None,
) -> App:
    """A throw-away vault for ``secretdesk --demo``: cheap key derivation, known passphrase.

    Unless ``populated`` is False it holds a year of realistic work up to ``until`` (by
    default the day before ``clock``'s today), recorded by the demo users (services/demo.py);
    the same seed and last day give the same vault. Every demo user has the passphrase
    DEMO_PASSPHRASE.
    """
    from secretdesk.app import create
    from secretdesk.crypto import kdf
    from secretdesk.services.demo import default_last_day, demo_start, demo_window, populate
    from secretdesk.services.setup import UnitSetup
    from secretdesk.system.clock import FixedClock, SystemClock, today

    real = clock or SystemClock()
    last_day = until or default_last_day(real)
    if last_day >= today(real):
        raise DemoInFuture(day=last_day.strftime("%d/%m/%Y"))
    first_day, _ = demo_window(last_day)
    demo_clock = FixedClock(demo_start(first_day))
    setup = UnitSetup(
        name="Sở Tư pháp tỉnh Quảng Ngãi (DEMO)",
        code="STP-QNG-DEMO",
        superior_body="Ủy ban nhân dân tỉnh Quảng Ngãi",
        place="Quảng Ngãi",
    )
    opened, _code = create(
        data_dir,
        setup,
        DEMO_USER,
        DEMO_PASSPHRASE,
        admin_full_name="Nguyễn Thị Văn Thư",
        params=kdf.TEST_PARAMS,
        clock=demo_clock if populated else real,
    )
    if populated:
        opened.ctx.clock = real  # populate() moves demo_clock, then gives the app this one back
        populate(opened, demo_clock, last_day, passphrase=DEMO_PASSPHRASE)
    return opened
