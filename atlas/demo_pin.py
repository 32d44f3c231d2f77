"""``python -m atlas.demo_pin``: make a one-time trainer PIN for this demo run (``make run`` calls it).

It prints the PIN and writes it to ``var_dir()/demo_pin`` (readable by the owner only), where
``atlas.security.trainer_pin`` finds it. When ``ACHYK_TRAINER_PIN`` is set, that PIN rules: no demo
PIN is made and a stale demo PIN file is removed.
"""

from __future__ import annotations

import os
import secrets

from atlas.security import PIN_ENV, demo_pin_path


def new_demo_pin() -> str:
    """A random 6-digit PIN (rate limiting makes 6 digits enough for a workshop laptop).

    >>> len(new_demo_pin())
    6
    """
    return f"{secrets.randbelow(10**6):06d}"


def main() -> str | None:
    """Write a fresh demo PIN unless one is configured; return it (``None`` when the env var rules).

    >>> isinstance(main(), (str, type(None)))  # doctest: +SKIP
    True
    """
    path = demo_pin_path()
    if os.environ.get(PIN_ENV, "").strip():
        path.unlink(missing_ok=True)
        print(f"Trainer PIN: taken from {PIN_ENV}.")
        return None
    pin = new_demo_pin()
    # Create with owner-only permissions before the PIN is written into it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(pin + "\n")
    os.chmod(path, 0o600)
    print(f"Demo trainer PIN for this run: {pin}  (set {PIN_ENV} to choose your own)")
    return pin


if __name__ == "__main__":
    main()
