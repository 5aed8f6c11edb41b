"""A thin Python client for lecternd, the lectern search service.

    from lectern_client import Client

    with Client("127.0.0.1:50051", token_file="tokens.txt") as lectern:
        for hit in lectern.search("kv cache", page_size=3).hits:
            print(hit.rank, hit.title)

The generated modules (lectern.v1.*_pb2, grpc_health.v1.health_pb2) must be
importable: put build/clients/python/generated on PYTHONPATH, or set
LECTERN_PYTHON_GENERATED to that folder. Failed calls raise grpc.RpcError.
"""

from lectern_client._paths import add_generated_path

add_generated_path()

try:
    from lectern.v1 import lectern_pb2, writer_pb2  # noqa: E402
    from grpc_health.v1 import health_pb2  # noqa: E402
except ImportError as error:  # pragma: no cover - depends on the setup
    raise ImportError(
        "lectern_client needs the generated modules: build lectern "
        "(ninja -C build) and put build/clients/python/generated on "
        "PYTHONPATH or in $LECTERN_PYTHON_GENERATED"
        f" ({error})") from error

from lectern_client.client import Client, read_token  # noqa: E402

__all__ = [
    "Client",
    "add_generated_path",
    "health_pb2",
    "lectern_pb2",
    "read_token",
    "writer_pb2",
]
