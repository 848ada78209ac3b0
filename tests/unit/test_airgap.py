from pathlib import Path

from secretdesk.system import airgap


def make_tree(root: Path, *, eth_up: bool, route: bool, wifi_on: bool) -> Path:
    net = root / "sys/class/net"
    for name, state in (("lo", "unknown"), ("eth0", "up" if eth_up else "down")):
        (net / name).mkdir(parents=True)
        (net / name / "operstate").write_text(state + "\n")
        (net / name / "carrier").write_text(("1" if eth_up else "0") + "\n")
    proc = root / "proc/net"
    proc.mkdir(parents=True)
    header = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n"
    line = "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n" if route else ""
    (proc / "route").write_text(header + line)
    (proc / "ipv6_route").write_text("")
    radio = root / "sys/class/rfkill/rfkill0"
    radio.mkdir(parents=True)
    (radio / "type").write_text("wlan\n")
    (radio / "soft").write_text("0\n" if wifi_on else "1\n")
    (radio / "hard").write_text("0\n")
    return root


def test_quiet_machine_is_air_gapped(tmp_path: Path) -> None:
    assert airgap.check(make_tree(tmp_path, eth_up=False, route=False, wifi_on=False)) == []


def test_each_kind_of_connection_is_reported(tmp_path: Path) -> None:
    findings = airgap.check(make_tree(tmp_path, eth_up=True, route=True, wifi_on=True))
    assert [f.kind for f in findings] == ["interface", "route", "radio"]
    assert findings[0].name == "eth0"
    assert "wlan" in findings[2].name


def test_loopback_alone_is_not_a_finding(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, eth_up=False, route=False, wifi_on=False)
    (tree / "sys/class/net/lo/operstate").write_text("up\n")
    assert airgap.check(tree) == []
