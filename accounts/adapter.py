from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Nobody self-registers: people join a federation through an invitation."""

    def is_open_for_signup(self, request) -> bool:  # type: ignore[override]
        return False
