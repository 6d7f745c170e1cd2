"""Importing this package fills REGISTRY with one OpSpec per public op."""
from . import comparison, indexing, linalg, nn, pointwise, reduction, shape, unary  # noqa: F401
