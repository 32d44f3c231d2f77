"""The one exception type whose message may be shown to a user."""

from __future__ import annotations

from atlas.i18n import Msg


class UserError(Exception):
    """Bad input that the user can fix; ``msg`` is shown (translated), never a traceback.

    >>> str(UserError(Msg("File is empty")))
    'File is empty'
    """

    def __init__(self, msg: Msg):
        super().__init__(msg.render())
        self.msg = msg
