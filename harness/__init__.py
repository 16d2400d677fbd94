"""ENTROPO reproduction harness: benchmarks, sandboxes, agents, evaluation and the results store."""

__version__ = "0.1.0"
