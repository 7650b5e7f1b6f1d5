def extend(w) -> None:  # noqa: ANN001
    """Objects of the planning sections for the access matrix (w.objects[...])."""
