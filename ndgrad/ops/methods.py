"""Every Tensor method an op provides, in one table (DeZero's ``setup_variable()``).

``x.sum(1)`` is ``ndgrad.sum(x, 1)``: a method is its op's public function itself, attached to
Tensor under each of its names. An in-place method ``x.add_(y)`` computes ``add`` out of place
and writes the result into x (``Tensor._commit_inplace``, which checks the dtype and bumps the
version counter). The methods that are not ops (``backward``, ``item``, ``size``, ``numpy``...)
are defined in ``ndgrad/tensor.py``; ``tests/test_methods.py`` checks that the two together are
``dir(Tensor)``.
"""
from __future__ import annotations

from .. import dtypes
from ..tensor import Tensor
from . import (
    accumulate,
    comparison,
    conversion,
    creation,
    division,
    fill,
    indexing,
    join,
    linalg,
    logic,
    pointwise,
    random,
    rearrange,
    reduction,
    selection,
    shape,
    sorting,
    special,
    trig,
    unary,
)

METHODS = {
    # creation.py
    "new_tensor": creation._new_tensor, "new_zeros": creation._new_maker(creation.zeros),
    "new_ones": creation._new_maker(creation.ones), "new_empty": creation._new_maker(creation.empty),
    "new_full": creation._new_full,
    # random.py
    "uniform_": random.uniform_, "normal_": random.normal_, "random_": random.random_,
    "bernoulli_": random.bernoulli_, "bernoulli": random.bernoulli, "multinomial": random.multinomial,
    "exponential_": random.exponential_, "geometric_": random.geometric_, "log_normal_": random.log_normal_,
    "cauchy_": random.cauchy_,
    # conversion.py
    "to": conversion.to, "cpu": conversion.cpu, "cuda": conversion.cuda,
    "float": conversion._cast(dtypes.float32), "double": conversion._cast(dtypes.float64),
    "half": conversion._cast(dtypes.float16), "int": conversion._cast(dtypes.int32),
    "long": conversion._cast(dtypes.int64), "short": conversion._cast(dtypes.int16),
    "char": conversion._cast(dtypes.int8), "byte": conversion._cast(dtypes.uint8),
    "bool": conversion._cast(dtypes.bool), "type": conversion.type_, "type_as": conversion.type_as,
    "clone": conversion.clone, "contiguous": conversion.contiguous,
    # fill.py
    "zero_": fill.zero_, "fill_": fill.fill_, "copy_": fill.copy_,
    # pointwise.py
    "add": pointwise.add, "__add__": pointwise.add, "__radd__": pointwise.add, "sub": pointwise.sub,
    "subtract": pointwise.sub, "__sub__": pointwise.sub, "mul": pointwise.mul, "multiply": pointwise.mul,
    "__mul__": pointwise.mul, "__rmul__": pointwise.mul, "pow": pointwise.pow, "__pow__": pointwise.pow,
    "__rpow__": pointwise._rpow, "minimum": pointwise.minimum, "maximum": pointwise.maximum,
    "where": pointwise._where_method, "clamp": pointwise.clamp, "clip": pointwise.clamp,
    "lerp": pointwise.lerp, "__rsub__": pointwise._rsub_method,
    # division.py
    "div": division.div, "divide": division.div, "true_divide": division.true_divide,
    "__truediv__": division.true_divide, "__rtruediv__": division._rtruediv,
    "floor_divide": division.floor_divide, "__floordiv__": division.floor_divide,
    "__rfloordiv__": division._rfloordiv, "remainder": division.remainder, "__mod__": division.remainder,
    "__rmod__": division._rmod, "fmod": division.fmod,
    # unary.py
    "neg": unary.neg, "negative": unary.neg, "__neg__": unary.neg, "abs": unary.abs, "absolute": unary.abs,
    "__abs__": unary.abs, "square": unary.square, "sign": unary.sign, "round": unary.round,
    "sqrt": unary.sqrt, "rsqrt": unary.rsqrt, "exp": unary.exp, "expm1": unary.expm1, "log": unary.log,
    "log1p": unary.log1p, "log2": unary.log2, "log10": unary.log10, "sigmoid": unary.sigmoid,
    "relu": unary.relu, "reciprocal": unary.reciprocal, "floor": unary.floor, "ceil": unary.ceil,
    "trunc": unary.trunc, "fix": unary.trunc, "frac": unary.frac, "nan_to_num": unary.nan_to_num,
    "exp2": unary.exp2,
    # trig.py
    "sin": trig.sin, "cos": trig.cos, "tan": trig.tan, "asin": trig.asin, "acos": trig.acos,
    "atan": trig.atan, "sinh": trig.sinh, "cosh": trig.cosh, "tanh": trig.tanh, "asinh": trig.asinh,
    "acosh": trig.acosh, "atanh": trig.atanh, "atan2": trig.atan2, "arctan2": trig.atan2, "hypot": trig.hypot,
    "arcsin": trig.asin, "arccos": trig.acos, "arctan": trig.atan, "arcsinh": trig.asinh,
    "arccosh": trig.acosh, "arctanh": trig.atanh,
    # special.py
    "erf": special.erf, "erfc": special.erfc, "erfinv": special.erfinv, "logaddexp": special.logaddexp,
    # comparison.py
    "eq": comparison.eq, "__eq__": comparison.eq, "ne": comparison.ne, "__ne__": comparison.ne,
    "not_equal": comparison.ne, "lt": comparison.lt, "__lt__": comparison.lt, "less": comparison.lt,
    "le": comparison.le, "__le__": comparison.le, "less_equal": comparison.le, "gt": comparison.gt,
    "__gt__": comparison.gt, "greater": comparison.gt, "ge": comparison.ge, "__ge__": comparison.ge,
    "greater_equal": comparison.ge, "isnan": comparison.isnan, "isinf": comparison.isinf,
    "isfinite": comparison.isfinite, "isposinf": comparison.isposinf, "isneginf": comparison.isneginf,
    "isclose": comparison.isclose, "allclose": comparison.allclose, "equal": comparison.equal,
    # logic.py
    "logical_and": logic.logical_and, "logical_or": logic.logical_or, "logical_xor": logic.logical_xor,
    "logical_not": logic.logical_not, "bitwise_and": logic.bitwise_and, "__and__": logic.bitwise_and,
    "__rand__": logic.bitwise_and, "bitwise_or": logic.bitwise_or, "__or__": logic.bitwise_or,
    "__ror__": logic.bitwise_or, "bitwise_xor": logic.bitwise_xor, "__xor__": logic.bitwise_xor,
    "__rxor__": logic.bitwise_xor, "bitwise_not": logic.bitwise_not, "__invert__": logic._invert,
    # reduction.py
    "sum": reduction.sum, "mean": reduction.mean, "prod": reduction.prod, "var": reduction.var,
    "std": reduction.std, "sum_to_size": reduction.sum_to_size, "logsumexp": reduction.logsumexp,
    "norm": reduction.norm, "all": reduction.all, "any": reduction.any,
    "count_nonzero": reduction.count_nonzero,
    # sorting.py
    "sort": sorting.sort, "argsort": sorting.argsort, "msort": sorting.msort, "topk": sorting.topk,
    "kthvalue": sorting.kthvalue, "median": sorting.median, "unique": sorting.unique, "max": sorting.max,
    "min": sorting.min, "amax": sorting.amax, "amin": sorting.amin, "argmax": sorting.argmax,
    "argmin": sorting.argmin,
    # accumulate.py
    "cumsum": accumulate.cumsum, "cumprod": accumulate.cumprod,
    # linalg.py
    "mm": linalg.mm, "bmm": linalg.bmm, "mv": linalg.mv, "dot": linalg.dot, "inner": linalg.dot,
    "outer": linalg.outer, "ger": linalg.outer, "matmul": linalg.matmul, "__matmul__": linalg.matmul,
    "__rmatmul__": linalg._rmatmul,
    # shape.py
    "view": shape.view, "reshape": shape.reshape, "view_as": shape.view_as, "reshape_as": shape.reshape_as,
    "flatten": shape.flatten, "transpose": shape.transpose, "swapaxes": shape.transpose,
    "swapdims": shape.transpose, "permute": shape.permute, "t": shape.t, "squeeze": shape.squeeze,
    "unsqueeze": shape.unsqueeze, "expand": shape.expand, "expand_as": shape.expand_as,
    "narrow": shape.narrow, "broadcast_to": shape.broadcast_to, "unflatten": shape.unflatten,
    "movedim": shape.movedim, "moveaxis": shape.movedim, "diagonal": shape.diagonal,
    # rearrange.py
    "flip": rearrange.flip, "fliplr": rearrange.fliplr, "flipud": rearrange.flipud, "roll": rearrange.roll,
    "repeat": rearrange.repeat, "tile": rearrange.tile, "tril": rearrange.tril, "triu": rearrange.triu,
    "diag": rearrange.diag,
    # join.py
    "split": join.split, "chunk": join.chunk, "unbind": join.unbind,
    # selection.py
    "gather": selection.gather, "take_along_dim": selection.take_along_dim, "scatter": selection.scatter,
    "scatter_add": selection.scatter_add, "index_select": selection.index_select,
    "index_add": selection.index_add, "index_fill": selection.index_fill, "take": selection.take,
    "masked_fill": selection.masked_fill, "masked_select": selection.masked_select,
    "nonzero": selection.nonzero,
    # indexing.py
    "__getitem__": indexing.index, "__setitem__": indexing.index_put,
}

INPLACE = {
    # pointwise.py
    "add_": pointwise.add, "sub_": pointwise.sub, "subtract_": pointwise.sub, "mul_": pointwise.mul,
    "multiply_": pointwise.mul, "pow_": pointwise.pow, "clamp_": pointwise.clamp, "clip_": pointwise.clamp,
    "lerp_": pointwise.lerp, "__iadd__": pointwise.add, "__isub__": pointwise.sub, "__imul__": pointwise.mul,
    "__ipow__": pointwise.pow,
    # division.py
    "div_": division.div, "divide_": division.div, "true_divide_": division.true_divide,
    "__itruediv__": division.div, "floor_divide_": division.floor_divide,
    "__ifloordiv__": division.floor_divide, "remainder_": division.remainder, "__imod__": division.remainder,
    "fmod_": division.fmod,
    # unary.py
    "neg_": unary.neg, "negative_": unary.neg, "abs_": unary.abs, "absolute_": unary.abs, "sqrt_": unary.sqrt,
    "rsqrt_": unary.rsqrt, "square_": unary.square, "exp_": unary.exp, "exp2_": unary.exp2,
    "expm1_": unary.expm1, "log_": unary.log, "log1p_": unary.log1p, "log2_": unary.log2,
    "log10_": unary.log10, "sigmoid_": unary.sigmoid, "relu_": unary.relu, "reciprocal_": unary.reciprocal,
    "sign_": unary.sign, "floor_": unary.floor, "ceil_": unary.ceil, "round_": unary.round,
    "trunc_": unary.trunc, "fix_": unary.trunc, "frac_": unary.frac, "nan_to_num_": unary.nan_to_num,
    # trig.py
    "sin_": trig.sin, "cos_": trig.cos, "tan_": trig.tan, "asin_": trig.asin, "arcsin_": trig.asin,
    "acos_": trig.acos, "arccos_": trig.acos, "atan_": trig.atan, "arctan_": trig.atan, "sinh_": trig.sinh,
    "cosh_": trig.cosh, "tanh_": trig.tanh, "atan2_": trig.atan2, "arctan2_": trig.atan2,
    "hypot_": trig.hypot, "asinh_": trig._asinh_inplace, "arcsinh_": trig._asinh_inplace,
    "acosh_": trig._acosh_inplace, "arccosh_": trig._acosh_inplace, "atanh_": trig._atanh_inplace,
    "arctanh_": trig._atanh_inplace,
    # special.py
    "erf_": special.erf, "erfc_": special.erfc, "erfinv_": special.erfinv,
    # logic.py
    "logical_and_": logic.logical_and, "logical_or_": logic.logical_or, "logical_xor_": logic.logical_xor,
    "logical_not_": logic.logical_not,
    # accumulate.py
    "cumsum_": accumulate._cumsum_own_dtype, "cumprod_": accumulate._cumprod_own_dtype,
    # rearrange.py
    "tril_": rearrange.tril, "triu_": rearrange.triu,
    # selection.py
    "scatter_": selection.scatter, "scatter_add_": selection.scatter_add, "index_add_": selection.index_add,
    "index_fill_": selection.index_fill, "masked_fill_": selection.masked_fill,
}

PROPERTIES = {"T": shape._T, "mT": shape._mT}


def inplace(name: str, fn):
    """``x.name(...)``: ``fn`` computed out of place, then written into x."""
    def method(self, *args, **kwargs):
        self._check_inplace()
        return self._commit_inplace(fn(self._inplace_source(), *args, **kwargs))
    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"In-place ``{fn.__name__}``."
    return method


for _name, _fn in METHODS.items():
    setattr(Tensor, _name, _fn)
for _name, _fn in INPLACE.items():
    setattr(Tensor, _name, inplace(_name, _fn))
for _name, _fn in PROPERTIES.items():
    setattr(Tensor, _name, property(_fn))
