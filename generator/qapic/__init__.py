"""qapi-c: a standalone QAPI schema to C code generator."""

__version__ = '0.1.0'
