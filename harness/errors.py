"""Errors a user can act on; the CLI prints them as one line (exit 2 for bad input, 1 otherwise)."""


class HarnessError(Exception):
    """A failure the user can understand without a traceback (exit code 1)."""

    exit_code = 1


class BadInput(HarnessError):
    """Invalid user input: unknown names, malformed files, bad config (exit code 2)."""

    exit_code = 2


class EngineUnavailable(HarnessError):
    """A required engine (Docker, bubblewrap) is not reachable on this machine."""
