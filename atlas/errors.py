"""The one exception type whose message may be shown to a user, and registry look-ups that raise it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from atlas.i18n import N_, Msg

T = TypeVar("T")


class UserError(Exception):
    """Bad input that the user can fix; ``msg`` is shown (translated), never a traceback.

    >>> str(UserError(Msg("File is empty")))
    'File is empty'
    """

    def __init__(self, msg: Msg):
        super().__init__(msg.render())
        self.msg = msg


class UnknownOptionError(UserError, ValueError):
    """An option key that is not in its registry; the message lists the valid keys."""


def lookup(registry: Mapping[str, T], key: str, what: str) -> T:
    """Return ``registry[key]`` or raise an error that names the valid keys.

    >>> lookup({"a": 1}, "a", "scheme")
    1
    """
    if key in registry:
        return registry[key]
    valid = ", ".join(registry)
    raise UnknownOptionError(
        Msg(N_("Unknown {what} “{key}”. Valid choices: {valid}"), {"what": what, "key": key, "valid": valid})
    )
