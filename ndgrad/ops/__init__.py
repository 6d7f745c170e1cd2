"""The op library: one module per family of ops, each op a Function with its public function
right below it. Importing it attaches the Tensor methods listed in ``methods.py``.

Which file holds an op: the one named for what the op does to its input's elements.

    creation     new tensors from sizes or data (zeros, arange, tensor, *_like)
    random       random sampling (rand, randn, randint, normal, bernoulli, multinomial)
    conversion   copies and conversions (clone, contiguous, to, type, float(), cpu(), cuda())
    fill         in-place overwrites (zero_, fill_, copy_)
  elementwise: the result has the broadcast shape of the inputs
    pointwise    arithmetic of two or more tensors (add, mul, pow, minimum, where, clamp, lerp)
    division     the divisions (div, floor_divide, remainder, fmod)
    unary        functions of one tensor (neg, abs, sqrt, exp, log, sigmoid, relu, rounding)
    trig         circular and hyperbolic functions and their inverses (sin, tanh, atan2, hypot)
    special      special functions (erf, erfc, erfinv, logaddexp)
    comparison   comparisons and tests, bool results (eq, lt, isnan, isclose, allclose, equal)
    logic        logic on truth values and bits (logical_and, bitwise_and, ~)
  reducing dims:
    reduction    sums and statistics over dims (sum, mean, prod, std, var, logsumexp, norm, all, any)
    sorting      order statistics, picking elements by their order (max, argmax, sort, topk, median)
    accumulate   scans along a dim, same shape out (cumsum, cumprod)
  matrices:
    linalg       matrix products (matmul, mm, bmm, mv, dot, outer)
    contraction  sums of products over named dims (einsum, tensordot)
  moving elements without arithmetic:
    shape        views: the result shares the input's memory (view, reshape, transpose, squeeze,
                 expand, narrow, movedim, diagonal)
    rearrange    copies in a new order (flip, roll, repeat, tile, tril, triu, diag)
    join         many tensors into one and back (cat, stack, split, chunk, unbind)
    selection    elements picked or written by an index tensor or mask (gather, scatter,
                 index_select, masked_fill, take, nonzero)
    indexing     ``x[key]`` and ``x[key] = v``
"""
from .creation import (tensor, as_tensor, from_numpy, zeros, ones, full, empty, eye, arange, linspace,
                       logspace, zeros_like, ones_like, full_like, empty_like)
from .random import (rand, rand_like, randn, randn_like, randint, randint_like, randperm, normal, bernoulli,
                     multinomial)
from .conversion import clone, contiguous
from .pointwise import (add, sub, subtract, rsub, mul, multiply, pow, minimum, maximum, where, clamp, clip,
                        lerp)
from .division import div, divide, true_divide, floor_divide, remainder, fmod
from .unary import (neg, negative, abs, absolute, sqrt, rsqrt, square, exp, exp2, expm1, log, log1p, log2,
                    log10, sigmoid, relu, reciprocal, sign, floor, ceil, round, trunc, fix, frac, nan_to_num)
from .trig import (sin, cos, tan, asin, arcsin, acos, arccos, atan, arctan, sinh, cosh, tanh, asinh, arcsinh,
                   acosh, arccosh, atanh, arctanh, atan2, arctan2, hypot)
from .special import erf, erfc, erfinv, logaddexp
from .comparison import (eq, ne, lt, le, gt, ge, greater, greater_equal, less, less_equal, not_equal, isnan,
                         isinf, isfinite, isposinf, isneginf, isclose, allclose, equal)
from .logic import (logical_and, logical_or, logical_xor, logical_not, bitwise_and, bitwise_or, bitwise_xor,
                    bitwise_not)
from .reduction import sum, mean, prod, std, var, logsumexp, norm, all, any, count_nonzero, sum_to_size
from .sorting import (max, min, amax, amin, argmax, argmin, sort, argsort, msort, topk, kthvalue, median,
                      unique)
from .accumulate import cumsum, cumprod
from .linalg import matmul, mm, bmm, mv, dot, outer, ger
from .contraction import einsum, tensordot
from .shape import (reshape, view, view_as, flatten, unflatten, transpose, swapaxes, swapdims, permute,
                    movedim, moveaxis, t, squeeze, unsqueeze, expand, expand_as, broadcast_to, narrow,
                    diagonal)
from .rearrange import flip, fliplr, flipud, roll, tile, tril, triu, diag
from .join import cat, concat, concatenate, stack, hstack, vstack, split, chunk, unbind
from .selection import (gather, take_along_dim, scatter, scatter_add, index_select, index_add, index_fill,
                        take, masked_fill, masked_select, nonzero)
from .indexing import index, index_put
from . import (accumulate, comparison, contraction, conversion, creation, division, fill, indexing, join,
               linalg, logic, pointwise, random, rearrange, reduction, selection, shape, sorting, special,
               trig, unary)
from . import methods  # noqa: F401  (attaches the Tensor methods)

#: modules whose public functions are differentiable/tensor ops that reference/ must cross-check
OP_MODULES = (conversion, pointwise, division, unary, trig, special, comparison, logic, reduction, sorting,
              accumulate, linalg, contraction, shape, rearrange, join, selection, indexing)


def public_ops() -> list:
    """Every public op name (the coverage test demands an OpSpec for each)."""
    names = set()
    for m in OP_MODULES:
        names.update(m.__all__)
    return sorted(names)


__all__ = [n for m in (creation, random) + OP_MODULES if m is not indexing for n in m.__all__]
__all__ = [n for n in __all__ if n != "sum_to_size"]      # a Tensor method only, as in PyTorch
