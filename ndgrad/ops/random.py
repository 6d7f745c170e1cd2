"""Random sampling: rand, randn, normal, randint, randperm, bernoulli, multinomial, each next to
the in-place sampler it shares its draws with (uniform_, normal_, random_, bernoulli_), the
``*_like`` forms, and the other in-place samplers (exponential_, geometric_, log_normal_, cauchy_).

Each draw asks the device's generator (``ndgrad/random``) for a flat run of samples and lays
them out in the order PyTorch's kernel visits the elements: memory order, fastest-moving
dimension first (TensorIterator's order), so a transposed or sliced tensor gets the numbers
PyTorch writes into it; a ``*_like`` form fills an ``empty_like(input)`` (input's layout) in
that memory order, as PyTorch's does. Samples carry no gradient: where a sample's distribution
depends on a tensor (``normal(mean, std)``, ``bernoulli(p)``), the gradient to that tensor is
zero, as PyTorch defines it.
"""
from __future__ import annotations

import math
import warnings

from .. import backend, dtypes
from .._layout import _dim_order, _strides_in, broadcast_shapes
from ..autograd.function import Function, no_derivative
from ..autograd.grad_mode import no_grad
from ..dtypes import not_implemented
from ..random.generator import engine
from ..tensor import Tensor, _wrap
from ._checks import need_tensor
from .creation import _make, empty, empty_like, zeros
from .fill import _overwrite

__all__ = ["rand", "rand_like", "randn", "randn_like", "normal", "randint", "randint_like", "randperm",
           "bernoulli", "multinomial"]

# PyTorch's C++ type names, which its range errors print
_CPP_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int",
              "int32": "int", "int64": "long int", "float16": "c10::Half", "float32": "float",
              "float64": "double"}
_DIGITS = {"float16": 11, "float32": 24, "float64": 53}


def _in_fill_order(values, target, others=()):
    """``values`` (flat, in the order PyTorch's kernel fills ``target``) shaped like ``target``.
    The kernel walks memory order as TensorIterator sorts the dims by the strides of the output
    and then of the inputs (``others``)."""
    shape = target.shape
    if target.flags.c_contiguous and all(o.flags.c_contiguous and o.shape == shape for o in others):
        return values.reshape(shape)
    slow_to_fast = _dim_order(shape, [_strides_in(a, shape) for a in (target,) + tuple(others)])[::-1]
    laid = values.reshape([shape[d] for d in slow_to_fast])
    return laid.transpose([slow_to_fast.index(d) for d in range(len(shape))])


def _sample_into(self: Tensor, draw, others=()) -> Tensor:
    """Overwrite ``self`` with ``draw(n)`` (n = numel) in PyTorch's fill order."""
    if self._data.size:
        _overwrite(self, _in_fill_order(draw(self._data.size), self._data, others))
    return self


def _need_float(kernel: str, dt) -> None:
    if not dt.is_floating_point:
        raise not_implemented(kernel, dt)


def _drawn(size, dtype, device, requires_grad, generator, draw, default=None, kernel=None) -> Tensor:
    """``empty(size)`` filled by ``draw(engine, n, numpy dtype)``, in C order."""
    if not size:
        raise TypeError("received an invalid combination of arguments - got (), but expected a size: "
                        "(tuple of ints size, ...) or (int... size, ...)")

    def fill(xp, shape, dt):
        if kernel is not None:
            _need_float(kernel, dt)
        return draw(engine(backend.canonical(device), generator), math.prod(shape), dt).reshape(shape)
    return _make(fill, size, dtype, device, requires_grad, default)


def _num(x) -> str:
    """A number as PyTorch's C++ messages print it (1 for 1.0)."""
    return f"{x:g}"


def _finfo_max(dt) -> float:
    return {"float16": 65504.0, "float32": 3.4028234663852886e38, "float64": 1.7976931348623157e308}[dt.name]


class _Sample(Function):
    """A draw whose distribution depends on tensors: ∂sample/∂parameter = 0 (PyTorch's definition)."""

    @staticmethod
    def forward(ctx, values, *params):
        ctx.params = [(p.shape, p.dtype, p.device) for p in params]
        return values

    @staticmethod
    def backward(ctx, grad):
        return (None,) + tuple(zeros(s, dtype=dt, device=dev) for s, dt, dev in ctx.params)


# ---- uniform -----------------------------------------------------------------------------------------------
def _check_uniform(dt, low: float, high: float) -> None:
    _need_float("check_uniform_bounds", dt)
    big = _finfo_max(dt)
    for name, v in (("from", low), ("to", high)):
        if not -big <= v <= big:
            raise RuntimeError(f"{name} is out of bounds for {_CPP_NAMES[dt.name]}")
    if low > high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={_num(low)} > "
                           f"to={_num(high)}")
    if high - low > big:
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<{dt._legacy}>::max(), but found "
                           f"to={high} and from={low} which result in to-from to exceed the limit")


def uniform_(self, from_=0.0, to=1.0, *, generator=None, **kw) -> Tensor:
    """Fill with U[from, to): u·(to − from) + from, u a uniform of 24 (float32) or 53 bits (float64)."""
    from_ = kw.pop("from", from_)              # ``from`` is a Python keyword: uniform_(**{"from": a})
    if kw:
        raise TypeError(f"uniform_() got an unexpected keyword argument '{next(iter(kw))}'")
    _check_uniform(self.dtype, from_, to)
    g = engine(self._device, generator)
    return _sample_into(self, lambda n: g.uniform(n, self.dtype.np, from_, to))


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False) -> Tensor:
    """Samples of U[0, 1): ``empty(size).uniform_()``."""
    return _drawn(size, dtype, device, requires_grad, generator,
                  lambda g, n, dt: g.uniform(n, dt.np, 0.0, 1.0), kernel="check_uniform_bounds")


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
              generator=None) -> Tensor:
    """``empty_like(input).uniform_()``."""
    t = uniform_(empty_like(input, dtype=dtype, device=device), generator=generator)
    return t.requires_grad_(requires_grad) if requires_grad else t


# ---- normal ------------------------------------------------------------------------------------------------
def normal_(self, mean=0.0, std=1.0, *, generator=None) -> Tensor:
    """Fill with N(mean, std²) by Box–Muller (``ndgrad/random/cpu.py`` has PyTorch's two paths)."""
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(std)}")
    _need_float("normal_kernel_cpu", self.dtype)
    g = engine(self._device, generator)
    contiguous = self._data.flags.c_contiguous
    return _sample_into(self, lambda n: g.normal(n, self.dtype.np, mean, std, contiguous))


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False) -> Tensor:
    """Standard normal samples: ``empty(size).normal_()``."""
    return _drawn(size, dtype, device, requires_grad, generator,
                  lambda g, n, dt: g.normal(n, dt.np, 0.0, 1.0, True), kernel="normal_kernel_cpu")


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
               generator=None) -> Tensor:
    """``empty_like(input).normal_()``."""
    t = normal_(empty_like(input, dtype=dtype, device=device), generator=generator)
    return t.requires_grad_(requires_grad) if requires_grad else t


class _NormalTensorFloat(_Sample):
    node_name = "NormalBackward1"


class _NormalFloatTensor(_Sample):
    node_name = "NormalBackward2"


class _NormalTensorTensor(_Sample):
    node_name = "NormalBackward3"


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False) -> Tensor:
    """Samples of N(mean, std²). With tensors, elementwise over their broadcast shape, as PyTorch
    computes it: standard normals (or N(0, std²) for a number std), times std, plus mean."""
    m_t, s_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not (m_t or s_t):
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments - got (float, float), but "
                            "expected one of: (Tensor mean, Tensor std), (Tensor mean, float std), "
                            "(float mean, Tensor std), (float mean, float std, tuple of ints size)")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(std)}")
        return _drawn((size,), dtype, device, requires_grad, generator,
                      lambda g, n, dt: g.normal(n, dt.np, mean, std, True), kernel="normal_kernel_cpu")
    if s_t and std.numel() and bool((std._data < 0).any()):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if not s_t and std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(std)}")
    like = mean if m_t else std
    shape = broadcast_shapes(tuple(mean.shape), tuple(std.shape)) if m_t and s_t else tuple(like.shape)
    with no_grad():
        result = empty(shape, dtype=like.dtype, device=like.device)
        if m_t and not s_t:
            normal_(result, 0.0, std, generator=generator).add_(mean)
        else:
            normal_(result, generator=generator).mul_(std).add_(mean)
    if not s_t:
        return _NormalTensorFloat.apply(result._data, mean)
    if m_t:
        return _NormalTensorTensor.apply(result._data, mean, std)
    return _NormalFloatTensor.apply(result._data, std)


# ---- integers ----------------------------------------------------------------------------------------------
def _bounds(dt) -> tuple:
    if dt is dtypes.bool:
        return 0, 1
    if dt.is_floating_point:
        big = _finfo_max(dt)
        return -big, big
    bits = dt.itemsize * 8
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if dt.is_signed else (0, (1 << bits) - 1)


def _float_from(dt, low: int) -> int:
    """The smallest ``from`` that stays ≥ from once cast to a floating dtype (PyTorch's update_from)."""
    up = int(dt.np.type(low + 1))
    if up < low:
        n = abs(low + 1).bit_length() - 1
        low = up + (1 << (n - _DIGITS[dt.name] + 1))
    return low


def _float_to(dt, high: int) -> int:
    """The largest ``to`` whose values stay < to once cast (PyTorch's update_to)."""
    down = int(dt.np.type(high - 1))
    if down >= high:
        n = abs(high - 1).bit_length() - 1
        high = down - (1 << (n - _DIGITS[dt.name] + 1))
    return high


def _check_range(dt, low: int, top: int) -> None:
    lo, hi = _bounds(dt)
    for name, v in (("from", low), ("to - 1", top)):
        if not lo <= v <= hi:
            raise RuntimeError(f"{name} is out of bounds for {_CPP_NAMES[dt.name]}")
    if dt.is_floating_point:
        digits = _DIGITS[dt.name]
        for name, v in (("from", low), ("to - 1", top)):
            if not -(1 << digits) <= v <= (1 << digits):
                warnings.warn(f"{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision "
                              f"limitations {_CPP_NAMES[dt.name]} can support discrete uniform distribution "
                              "only within this range. This warning will become an error in version 1.7 "
                              "release, please fix the code in advance")


def _integers(g, n: int, dt, low: int, high: int | None, full_range_ok: bool = True):
    """Integers uniform on [low, high) (high None: up to the dtype's largest), as ``random_(from, to)``."""
    if high is not None:
        if low >= high:
            raise RuntimeError("random_ expects 'from' to be less than 'to', "
                               f"but got from={low} >= to={high}")
        if dt.is_floating_point:
            low, high = _float_from(dt, low), _float_to(dt, high)
            if low >= high:
                raise RuntimeError(f"random_ expects 'from' casted to dtype to be less than 'to' "
                                   f"casted to dtype, but got from={low} >= to={high}")
        _check_range(dt, low, high - 1)
        return g.random_from_to(n, dt.np, high - low, low)
    if low == -2 ** 63:
        return g.random_full_range(n, dt.np)
    if dt.is_floating_point:
        top = min(1 << _DIGITS[dt.name], 2 ** 63 - 1)
        low = _float_from(dt, low)
    else:
        top = _bounds(dt)[1]
    _check_range(dt, low, top)
    return g.random_from_to(n, dt.np, top - low + 1, low)


def random_(self, *args, generator=None, **kw) -> Tensor:
    """Fill with integers: ``random_()`` over [0, 2^mantissa] (floats) or [0, max] (integers),
    ``random_(to)`` over [0, to), ``random_(from, to)`` over [from, to) (``to=None``: up to max)."""
    if "from" in kw:
        args = (kw.pop("from"),) + args
    if "to" in kw:
        args = (args[0] if args else 0, kw.pop("to"))
    g = engine(self._device, generator)
    dt = self.dtype
    if not args:
        return _sample_into(self, lambda n: g.random_(n, dt.np))
    low, high = (0, args[0]) if len(args) == 1 else args
    if not self._data.size:
        _integers(g, 0, dt, low, high)                 # the checks only: zero draws take no words
        return self
    return _sample_into(self, lambda n: _integers(g, n, dt, low, high))


def randint(low=0, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, pin_memory=False) -> Tensor:
    """Integers uniform on [low, high) (int64 by default): ``randint(high, size)`` or
    ``randint(low, high, size)``."""
    if size is None:                      # randint(high, size)
        low, high, size = 0, low, high
    if high is None or size is None:
        raise TypeError("randint() missing required arguments: 'high' and 'size'")
    if not isinstance(size, (tuple, list)) and not hasattr(size, "__len__"):
        raise TypeError("randint(): argument 'size' (position 2) must be tuple of ints, "
                        f"not {type(size).__name__}")
    return _drawn((tuple(size),), dtype, device, requires_grad, generator,
                  lambda g, n, dt: _integers(g, n, dt, low, high), default=dtypes.int64)


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None, requires_grad=False,
                 memory_format=None, generator=None) -> Tensor:
    """``empty_like(input).random_(low, high)``; ``randint_like(input, high)`` draws from [0, high)."""
    if high is None:
        low, high = 0, low
    t = random_(empty_like(input, dtype=dtype, device=device), low, high, generator=generator)
    return t.requires_grad_(requires_grad) if requires_grad else t


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
             pin_memory=False) -> Tensor:
    """A random permutation of 0..n−1 (int64): PyTorch's Fisher–Yates shuffle."""
    def fill(xp, shape, dt):
        if dt is dtypes.bool:
            raise not_implemented("randperm", dt)
        if dt.is_floating_point and n > (1 << _DIGITS[dt.name]) + 1:
            raise RuntimeError(f"n cannot be greater than {(1 << _DIGITS[dt.name]) + 1} for "
                               f"{dt._legacy} type.")
        return engine(backend.canonical(device), generator).randperm(n).astype(dt.np, copy=False)
    return _make(fill, (n,), dtype, device, requires_grad, dtypes.int64)


# ---- bernoulli ---------------------------------------------------------------------------------------------
def _check_probabilities(p: Tensor) -> None:
    _need_float("bernoulli_tensor_cpu_p_", p.dtype)
    d = p._data
    if d.size and bool(((d < 0) | (d > 1) | (d != d)).any()):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                           "message be improved?  If so, please report an enhancement request to PyTorch.)")


def _expandable(shape, target) -> None:
    if len(shape) > len(target) or any(s not in (1, t) for s, t in zip(shape[::-1], target[::-1])):
        raise RuntimeError(f"The expanded size of the tensor ({target[-1]}) must match the existing size "
                           f"({shape[-1]}) at non-singleton dimension {len(target) - 1}.  Target sizes: "
                           f"{list(target)}.  Tensor sizes: {list(shape)}")


def _in_memory_order(a, target):
    """``a``'s elements, flat, in the order the kernel visits ``target`` (the inverse of _in_fill_order)."""
    shape = target.shape
    if target.flags.c_contiguous and a.flags.c_contiguous:
        return a.reshape(-1)
    slow_to_fast = _dim_order(shape, [_strides_in(x, shape) for x in (target, a)])[::-1]
    return a.transpose(slow_to_fast).reshape(-1)


def bernoulli_(self, p=0.5, *, generator=None) -> Tensor:
    """Fill with 1 where u < p, else 0 (p a number, or a tensor broadcast to self)."""
    g = engine(self._device, generator)
    if isinstance(p, Tensor):
        if p._device != self._device:
            p = p.to(self._device)
        shape = tuple(self.shape)
        if tuple(p.shape) != shape:
            _expandable(tuple(p.shape), shape)
        _check_probabilities(p)
        probs = self._xp.broadcast_to(p._data, shape)
        return _sample_into(self, lambda n: g.bernoulli(n, _in_memory_order(probs, self._data),
                                                        self.dtype.np),
                            (probs,))
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_num(p)}")
    return _sample_into(self, lambda n: g.bernoulli(n, float(p), self.dtype.np))


# bernoulli(input, p) with a number p: PyTorch records it, and its backward refuses
_BernoulliScalar = no_derivative(_Sample, "NotImplemented",
                                 RuntimeError("derivative for aten::bernoulli is not implemented"))


class _BernoulliTensor(_Sample):
    node_name = "BernoulliBackward0"


def bernoulli(input, p=None, *, generator=None, out=None) -> Tensor:
    """Samples of Bernoulli(input) elementwise (input holds the probabilities), or of
    Bernoulli(p) in input's shape and dtype when a number p is given."""
    need_tensor("bernoulli", input)
    result = empty(tuple(input.shape), dtype=input.dtype, device=input.device)
    with no_grad():
        bernoulli_(result, input if p is None else p, generator=generator)
    return (_BernoulliTensor if p is None else _BernoulliScalar).apply(result._data, input)


# ---- multinomial -------------------------------------------------------------------------------------------
def _wrap_indices(arr, like: Tensor) -> Tensor:
    return _wrap(arr.astype("int64", copy=False), like._device)


def multinomial(input, num_samples: int, replacement: bool = False, *, generator=None, out=None) -> Tensor:
    """Category indices drawn from each row of ``input`` (unnormalised probabilities), int64.

    Without replacement (or for one sample), PyTorch's Gumbel-max trick: the indices of the
    largest p / q with q ~ Exp(1). With replacement, each sample is a uniform placed in the
    row's cumulative distribution."""
    need_tensor("multinomial", input)
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError("multinomial only supports floating-point dtypes for input, "
                           f"got: {input.dtype._legacy}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_categories = input.shape[-1]
    if not replacement and num_samples > n_categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if n_categories > 2 ** 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    xp, d = input._xp, input._data
    rows = d.reshape(1, -1) if d.ndim == 1 else d
    shape = (num_samples,) if d.ndim == 1 else (d.shape[0], num_samples)
    if not rows.size:
        return _wrap_indices(xp.zeros(shape, "int64"), input)
    g = engine(input._device, generator)
    if not replacement or num_samples == 1:
        if not bool(((rows >= 0) & (rows < math.inf)).all()):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if bool((rows.sum(axis=-1) == 0).any()):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        q = _in_fill_order(g.exponential(d.size, d.dtype, 1.0), d)
        score = (d / q).reshape(rows.shape)
        if num_samples == 1:
            picked = xp.argmax(score, axis=-1)[:, None]
        else:
            picked = xp.argsort(-score, axis=-1, kind="stable")[:, :num_samples]
        return _wrap_indices(picked.reshape(shape), input)
    if bool((rows < 0).any()):
        raise RuntimeError("invalid multinomial distribution (encountering probability entry < 0)")
    if not bool(xp.isfinite(rows).all()):
        raise RuntimeError("invalid multinomial distribution (encountering probability entry = "
                           "infinity or NaN)")
    if bool((rows.sum(axis=-1) <= 0).any()):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    return _wrap_indices(g.multinomial_with_replacement(rows, num_samples).reshape(shape), input)


# ---- the other in-place samplers ---------------------------------------------------------------------------
def exponential_(self, lambd=1.0, *, generator=None) -> Tensor:
    """Fill with Exp(λ): −log(1 − u)/λ, u a 53-bit uniform."""
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_num(lambd)}")
    if not self.dtype.is_floating_point:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. dtype must be "
                           f"a floating point but you specified {self.dtype._legacy}")
    g = engine(self._device, generator)
    return _sample_into(self, lambda n: g.exponential(n, self.dtype.np, lambd))


def geometric_(self, p, *, generator=None) -> Tensor:
    """Fill with Geometric(p) on {1, 2, ...}: ⌈log u / log(1 − p)⌉."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_num(p)}")
    if self.dtype is dtypes.bool:
        raise not_implemented("geometric_cpu", self.dtype)
    g = engine(self._device, generator)
    return _sample_into(self, lambda n: g.geometric(n, self.dtype.np, p))


def log_normal_(self, mean=1.0, std=2.0, *, generator=None) -> Tensor:
    """Fill with exp(N(mean, std²))."""
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_num(std)}")
    _need_float("log_normal_cpu", self.dtype)
    g = engine(self._device, generator)
    return _sample_into(self, lambda n: g.log_normal(n, self.dtype.np, mean, std))


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None) -> Tensor:
    """Fill with Cauchy(median, σ): median + σ·tan(π(u − ½))."""
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_num(sigma)}")
    if not self.dtype.is_floating_point:
        raise RuntimeError("Cauchy distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {_CPP_NAMES[self.dtype.name]}")
    g = engine(self._device, generator)
    return _sample_into(self, lambda n: g.cauchy(n, self.dtype.np, median, sigma))
