def extend(w) -> None:  # noqa: ANN001
    from tests.projects import world_planning

    world_planning.extend(w)
