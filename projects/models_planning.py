"""Models of the planning sections of a project (owned by the planning work)."""
