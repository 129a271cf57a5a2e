"""Statement changes in git: the review of a range of commits, and the diff/textconv driver."""
