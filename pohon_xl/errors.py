"""Errors that end a run with exit status 2 and a one-line reason in Indonesian."""


class InputError(Exception):
    """The input cannot be processed; ``str(error)`` is the one line shown to the user."""
