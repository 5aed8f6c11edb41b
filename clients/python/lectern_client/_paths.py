"""Finding the generated protobuf and gRPC modules."""

import os
import sys

ENV_VAR = "LECTERN_PYTHON_GENERATED"


def add_generated_path(path=None):
    """Put the generated modules' folder first on sys.path.

    `path` defaults to $LECTERN_PYTHON_GENERATED, e.g.
    build/clients/python/generated. Does nothing when neither is set or the
    folder is already on sys.path. Returns the folder added (or found), or
    None.
    """
    path = path or os.environ.get(ENV_VAR)
    if not path:
        return None
    path = os.path.abspath(path)
    if path not in sys.path:
        sys.path.insert(0, path)
    return path
