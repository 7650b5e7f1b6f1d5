def load(ctx: dict) -> None:
    """Demo data of the planning sections."""
