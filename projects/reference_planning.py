def load(stdout) -> None:  # noqa: ANN001
    """Reference data of the planning sections (ACI rule, school holidays…)."""
