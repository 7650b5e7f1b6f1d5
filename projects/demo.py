"""Demo data of the projects app. The planning sections add theirs in ``demo_planning.py``."""


def load(ctx: dict) -> None:
    from . import demo_planning

    demo_planning.load(ctx)
