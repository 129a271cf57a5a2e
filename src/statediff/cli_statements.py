"""Commands of the statements folder (add, check, report, list); they register on ``cli.main``."""
