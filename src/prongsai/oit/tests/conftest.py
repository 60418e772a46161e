from prongsai.workspace.tests.personas import *  # noqa: F401,F403  (the personas: planner, viewer, outsider, anonymous)
