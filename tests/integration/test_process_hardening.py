"""The running program: no core dumps, no ptrace or /proc/PID/environ for others, and the
eject child inherits no SECRETDESK_ variable (issue 12)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from secretdesk.transfer import media
from tests.helpers import new_app

# As root, both the program and the reader run without capabilities, so that only the
# dumpable flag decides whether /proc/PID/environ may be read (as it does between two
# processes of one ordinary user).
NO_CAPS = (
    ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]
    if os.geteuid() == 0 and shutil.which("setpriv")
    else []
)


def readable_by_a_peer(pid: int, name: str) -> bool:
    done = subprocess.run(
        [*NO_CAPS, "head", "-c", "1", f"/proc/{pid}/{name}"], capture_output=True, check=False
    )
    return done.returncode == 0


def core_limit(pid: int) -> list[str]:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max core file size"):
            return line.split()[4:6]
    raise AssertionError("no core limit line")


def waiting_on_a_pipe(pid: int) -> bool:
    """Blocked in read() on a pipe (wchan ``pipe_read``, or when hidden, state S + syscall)."""
    try:
        wchan = Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        wchan = ""
    if wchan:
        return "pipe_read" in wchan
    try:
        return Path(f"/proc/{pid}/syscall").read_text().split()[0] == "0"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc")
def test_a_cli_waiting_for_its_passphrase_has_core_dumps_off_and_is_not_dumpable(
    tmp_path: Path,
) -> None:
    new_app(tmp_path / "v")[0].close()
    read_end, write_end = os.pipe()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SECRETDESK_")},
        "SECRETDESK_LOG_DIR": str(tmp_path / "logs"),
    }
    program = subprocess.Popen(
        [
            *NO_CAPS,
            *(sys.executable, "-m", "secretdesk", "--data-dir", str(tmp_path / "v")),
            *("--user", "admin", "--passphrase-fd", str(read_end), "self-test"),
        ],
        pass_fds=(read_end,),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    control = subprocess.Popen(
        [*NO_CAPS, sys.executable, "-c", "import sys; sys.stdin.read()"],
        stdin=subprocess.PIPE,
    )
    os.close(read_end)
    try:
        # Wait until the program is blocked reading the passphrase from the pipe.
        for _ in range(600):
            assert program.poll() is None, program.communicate()
            if waiting_on_a_pipe(program.pid):
                break
            subprocess.run(["sleep", "0.05"], check=True)
        else:
            raise AssertionError("the program never waited for its passphrase")
        assert core_limit(program.pid) == ["0", "0"]
        assert readable_by_a_peer(control.pid, "environ")  # the check can tell
        assert not readable_by_a_peer(program.pid, "environ")
        assert not readable_by_a_peer(program.pid, "mem")
        status = Path(f"/proc/{program.pid}/status").read_text()
        assert "CoreDumping:\t0" in status
    finally:
        os.close(write_end)
        program.kill()
        control.kill()
        program.communicate()
        control.communicate()


def test_the_eject_child_gets_no_secretdesk_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    seen = tmp_path / "env.txt"
    fake = bin_dir / "udisksctl"
    fake.write_text(f"#!/bin/sh\nenv >> {seen}\necho '--' >> {seen}\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("SECRETDESK_PASSPHRASE", "the clerk's passphrase")
    monkeypatch.setenv("SECRETDESK_APPROVER_PASSPHRASE", "the approver's passphrase")
    monkeypatch.setenv("HOME_SECRET_TOKEN", "unrelated")
    volume = media.Volume(tmp_path, "/dev/sdz1", "vfat", "STICK", 1, 1)
    result = media.eject(volume)
    assert result.ok, result
    text = seen.read_text()
    assert text.count("--") == 2  # unmount, then power-off
    assert "SECRETDESK" not in text and "passphrase" not in text
    assert "HOME_SECRET_TOKEN" not in text
    assert f"PATH={bin_dir}" in text
