"""Reference data of the projects app (methodology…); planning data in reference_planning.py."""


def load(stdout) -> None:  # noqa: ANN001
    from . import reference_planning

    reference_planning.load(stdout)
