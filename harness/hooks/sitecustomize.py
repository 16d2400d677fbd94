"""Put first on PYTHONPATH by the fast evaluator: loads harness_guard at interpreter start, then
the sitecustomize this one shadows (Debian's and conda's Pythons ship one), as Python would have.
"""

import os
import sys

import harness_guard  # noqa: F401  (hooks the runners on import)


def _chain():
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


_chain()
