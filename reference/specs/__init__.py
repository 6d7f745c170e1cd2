"""Importing this package fills REGISTRY with one OpSpec per public op."""
from . import comparison, contraction, indexing, linalg, nn, pointwise, rearrange, reduction, random, selection, shape, unary, vision  # noqa: F401
