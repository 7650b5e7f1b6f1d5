from tests.projects.policy_planning import PLANNING_POLICY

CORE_POLICY: dict = {}

POLICY = {**CORE_POLICY, **PLANNING_POLICY}
