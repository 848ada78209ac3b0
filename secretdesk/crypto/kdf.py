"""Passphrase key derivation: Argon2id from ``cryptography``.

Parameters are stored with each key slot, so a slot made with cheap parameters (tests) or
with stronger ones (a faster computer later) opens with what it was made with.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

KEY_LENGTH = 32
SALT_LENGTH = 16


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int
    iterations: int
    lanes: int
    algorithm: str = "argon2id"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KdfParams:
        """Parameters read from a key file, refused (ValueError) outside sane bounds.

        An edited file must not make an unlock ask for 2 TiB of memory or run for a day."""
        if data.get("algorithm") != "argon2id":
            raise ValueError("unsupported key derivation")
        params = cls(int(data["memory_kib"]), int(data["iterations"]), int(data["lanes"]))
        params.check_bounds()
        return params

    def check_bounds(self) -> None:
        if not MIN_LANES <= self.lanes <= MAX_LANES:
            raise ValueError(f"Argon2id lanes out of bounds: {self.lanes}")
        if not MIN_ITERATIONS <= self.iterations <= MAX_ITERATIONS:
            raise ValueError(f"Argon2id iterations out of bounds: {self.iterations}")
        if not max(MIN_MEMORY_KIB, 8 * self.lanes) <= self.memory_kib <= MAX_MEMORY_KIB:
            raise ValueError(f"Argon2id memory out of bounds: {self.memory_kib} KiB")

    def below(self, floor: KdfParams) -> bool:
        return (
            self.memory_kib < floor.memory_kib
            or self.iterations < floor.iterations
            or self.lanes < floor.lanes
        )


MIN_LANES, MAX_LANES = 1, 16
MIN_ITERATIONS, MAX_ITERATIONS = 1, 64
MIN_MEMORY_KIB, MAX_MEMORY_KIB = 8, 4 * 1024 * 1024  # 4 GiB


class BelowFloor(ValueError):
    """Parameters below the floor for real vaults (and not the demo/test switch)."""


# Cheap parameters for tests and the throw-away demo vault only.
TEST_PARAMS = KdfParams(memory_kib=64, iterations=1, lanes=1)
# Floor for real vaults: RFC 9106's second recommended option is 64 MiB, t=3, p=4.
STANDARD_FLOOR = KdfParams(memory_kib=128 * 1024, iterations=3, lanes=2)


def check_floor_or_test(params: KdfParams) -> None:
    """No slot is written below the floor, except with the cheap demo and test parameters."""
    params.check_bounds()
    if params.below(STANDARD_FLOOR) and params != TEST_PARAMS:
        raise BelowFloor(f"Argon2id parameters below the floor: {params}")


def normalise_passphrase(passphrase: str) -> bytes:
    """Vietnamese input methods may send NFC or NFD; both must unlock the same slot."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=KEY_LENGTH,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalise_passphrase(passphrase))


def calibrate(target_seconds: float = 0.5, floor: KdfParams = STANDARD_FLOOR) -> KdfParams:
    """Raise the iteration count until one derivation takes about ``target_seconds`` here."""
    started = time.perf_counter()
    derive("calibration", b"\0" * SALT_LENGTH, floor)
    elapsed = max(time.perf_counter() - started, 1e-3)
    iterations = max(floor.iterations, round(floor.iterations * target_seconds / elapsed))
    return KdfParams(floor.memory_kib, min(iterations, 64), floor.lanes)
