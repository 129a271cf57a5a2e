"""Commands for reviewing statements in git (review, git-diff, install-git); they register on ``cli.main``."""
