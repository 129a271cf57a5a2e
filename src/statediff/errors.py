"""The one exception type that the CLI turns into a one-line message and exit code 2."""


class StatediffError(Exception):
    """A problem with the user's input or environment, explained in one line: what is wrong and what to do."""
