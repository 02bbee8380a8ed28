"""The C back-end: one module per kind of output."""

from ..cli import Options
from ..frontend.schema import Schema


def generate(schema: Schema, opts: Options) -> int:
    return 0
