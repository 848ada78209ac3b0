"""The red banner: an air-gap finding or a refused socket shows it in every window."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from secretdesk.gui.network_watch import NetworkWatch
from secretdesk.gui.unlock_window import UnlockWindow
from secretdesk.gui.widgets.warning_banner import WarningBanner
from secretdesk.system import airgap
from secretdesk.system.netguard import NetworkGuard
from tests.gui.conftest import unlock

ETH0 = airgap.Finding("interface", "eth0", airgap.INTERFACE_UP)


def _banner(window: Any) -> WarningBanner:
    return window.findChild(WarningBanner)


def test_an_air_gap_finding_shows_a_persistent_banner(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0], airgap_check=lambda: [ETH0])
    controller.start()
    assert isinstance(controller.window, UnlockWindow)
    assert _banner(controller.window).isVisible()  # already before unlocking
    main = unlock(qtbot, controller)
    assert main.banner.isVisible()
    assert "Network interface eth0 is up and connected." in main.banner.details.text()
    assert "never connected to a network" in main.banner.headline.text()


def test_the_check_repeats_and_the_banner_follows_it(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    findings: list[airgap.Finding] = []
    calls: list[int] = []

    def check() -> list[airgap.Finding]:
        calls.append(1)
        return list(findings)

    controller = make_controller(vault[0], airgap_check=check, airgap_interval_ms=20)
    controller.start()
    main = unlock(qtbot, controller)
    assert not main.banner.isVisible()
    findings.append(airgap.Finding("radio", "wlan (rfkill0)", airgap.RADIO_ON))
    qtbot.waitUntil(main.banner.isVisible)
    assert "Radio wlan (rfkill0) is switched on." in main.banner.details.text()
    findings.clear()
    qtbot.waitUntil(lambda: not main.banner.isVisible())
    assert len(calls) >= 3


def test_a_refused_socket_shows_the_banner_even_from_another_thread(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    guard = NetworkGuard()  # a private guard: reports only what the test tells it
    controller = make_controller(vault[0], guard=guard)
    controller.start()
    main = unlock(qtbot, controller)
    assert not main.banner.isVisible()
    assert guard.on_refused is not None
    reporter = threading.Thread(target=guard.on_refused, args=("socket.connect",))
    reporter.start()
    reporter.join()
    qtbot.waitUntil(main.banner.isVisible)
    assert "blocked: socket.connect" in main.banner.details.text()
    controller.shutdown()
    assert guard.on_refused is None  # nothing points at deleted widgets


def test_a_failing_check_is_logged_not_shown(qapp: Any) -> None:
    def broken() -> list[airgap.Finding]:
        raise OSError("no /sys")

    watch = NetworkWatch(None, broken)
    watch.check_now()
    assert watch.warnings == []
