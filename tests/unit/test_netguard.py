import socket
import subprocess
import sys

import pytest

from secretdesk.errors import NetworkForbidden
from secretdesk.system import netguard


@pytest.mark.netguard_probe
def test_ip_sockets_are_refused() -> None:
    guard = netguard.install()
    before = len(guard.refused)
    with pytest.raises(NetworkForbidden):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkForbidden):
        socket.getaddrinfo("example.org", 443)
    assert len(guard.refused) == before + 2


def test_unix_sockets_stay_allowed() -> None:
    left, right = socket.socketpair(socket.AF_UNIX)
    left.sendall(b"ok")
    assert right.recv(2) == b"ok"
    left.close()
    right.close()


def test_cli_main_installs_the_guard() -> None:
    code = (
        "import sys\n"
        "from secretdesk.cli import main\n"
        "main(['--lang', 'en', 'audit'])\n"
        "from secretdesk.system import netguard\n"
        "print(netguard._installed is not None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().endswith("True")
