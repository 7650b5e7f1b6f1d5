"""User groups, sessions, feedback, syntheses and vendor answers (built by the usergroups issue)."""
