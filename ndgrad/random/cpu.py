"""PyTorch's CPU random generator: an mt19937 stream and the kernels that turn it into samples.

The stream is NumPy's MT19937 bit generator seeded as PyTorch seeds its engine (``init_genrand``
with the low 32 bits of the seed), so both produce the same 32-bit words. Each sampler below
transforms those words exactly as PyTorch's CPU kernel does (``aten/src/ATen/core/
TransformationHelper.h``, ``native/cpu/DistributionTemplates.h``), vectorised: every element of a
kernel takes a fixed number of words, in the order PyTorch's loop visits the elements.

Words and uniforms, the building blocks:
    random()    one 32-bit word;  random64()  two words, the first as the high half
    float32 u = (word & (2²⁴ − 1)) · 2⁻²⁴        float64 u = (random64 & (2⁵³ − 1)) · 2⁻⁵³
"""
from __future__ import annotations

import math

import numpy

from . import vecmath

__all__ = ["CPUGenerator", "STATE_SIZE", "DEFAULT_SEED"]

#: a new ``torch.Generator()``'s seed (c10's default_rng_seed_val)
DEFAULT_SEED = 67280421310721
_N = 624                                   # mt19937's state words
#: bytes of PyTorch's CPUGeneratorImplState: seed, left, seeded, next, 624 state words widened to
#: 64 bits, the legacy normal_x/y/rho doubles and flag, then the cached float normal and its flag
STATE_SIZE = 5056
_STATE = numpy.dtype([("seed", "<u8"), ("left", "<i4"), ("seeded", "<i4"), ("next", "<u8"),
                      ("state", "<u8", (_N,)), ("normal_x", "<f8"), ("normal_y", "<f8"),
                      ("normal_rho", "<f8"), ("normal_is_valid", "<i4"), ("_pad", "<i4"),
                      ("next_float_normal", "<f4"), ("next_float_normal_is_valid", "u1"), ("_pad2", "V3")])
assert _STATE.itemsize == STATE_SIZE
_U24, _U53 = numpy.float32(2.0 ** -24), 2.0 ** -53
_TWO_PI_F = numpy.float32(2.0 * math.pi)
_ROWS = 4096                              # Box–Muller blocks transformed at a time
_INT_RANGE = {"bool": 2, "uint8": 2 ** 8, "int8": 2 ** 7, "int16": 2 ** 15, "int32": 2 ** 31,
              "int64": 2 ** 63, "float16": 2 ** 11 + 1, "float32": 2 ** 24 + 1, "float64": 2 ** 53 + 1}


class CPUGenerator:
    """One mt19937 stream with PyTorch's samplers. Sizes are element counts; results are flat
    arrays in the order PyTorch's kernel fills its output (callers lay them out)."""

    def __init__(self, seed: int = DEFAULT_SEED):
        self._bits = numpy.random.MT19937(0)
        self.manual_seed(seed)

    # ---- the engine ---------------------------------------------------------------------------------
    def manual_seed(self, seed: int) -> None:
        """``init_genrand(seed & 0xffffffff)``, as ``at::mt19937`` seeds; the normal caches empty."""
        self.seed = seed
        self._bits.state = numpy.random.RandomState(seed & 0xFFFFFFFF).get_state(legacy=False)
        self._fresh = True                  # PyTorch's engine says next = 0 until the first draw
        self.next_double_normal = None      # Box–Muller's second value, kept for the next call
        self.next_float_normal = None       # (PyTorch's CPU kernels never fill it; kept in the state)

    def random(self, n: int):
        """n words of the stream (as uint64 values below 2³²)."""
        if n:
            self._fresh = False
        return self._bits.random_raw(n)

    def random64(self, n: int):
        """n 64-bit draws, each from two words: (first << 32) | second."""
        w = self.random(2 * n)
        return (w[0::2] << numpy.uint64(32)) | w[1::2]

    def uniform32(self, n: int):
        """float32 u ∈ [0, 1) from the low 24 bits of one word."""
        return (self.random(n) & 0xFFFFFF).astype(numpy.float32) * _U24

    def uniform64(self, n: int):
        """float64 u ∈ [0, 1) from the low 53 bits of random64()."""
        return (self.random64(n) & numpy.uint64(2 ** 53 - 1)).astype(numpy.float64) * _U53

    def get_state(self):
        """PyTorch's state bytes (a uint8 array)."""
        key, pos = self._bits.state["state"]["key"], self._bits.state["state"]["pos"]
        s = numpy.zeros((), _STATE)
        s["seed"], s["seeded"], s["state"] = self.seed, 1, key
        s["left"] = _N + 1 - pos                          # words left before the next twist, plus one
        s["next"] = 0 if self._fresh else pos
        if self.next_double_normal is not None:
            s["normal_is_valid"], s["normal_y"] = 1, self.next_double_normal
        if self.next_float_normal is not None:
            s["next_float_normal_is_valid"], s["next_float_normal"] = 1, self.next_float_normal
        return numpy.frombuffer(s.tobytes(), numpy.uint8).copy()

    def set_state(self, state: bytes) -> None:
        """Restore what ``get_state`` (ndgrad's or PyTorch's) returned."""
        if len(state) != STATE_SIZE:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_SIZE} but found the "
                               f"input RNG state size to be {len(state)}")
        s = numpy.frombuffer(bytes(state), _STATE)[0]
        left, nxt = int(s["left"]), int(s["next"])
        if not (s["seeded"] and 1 <= left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        key = (s["state"] & 0xFFFFFFFF).astype(numpy.uint32)
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _N + 1 - left}}
        self.seed, self._fresh = int(s["seed"]), nxt == 0 and left == 1
        self.next_double_normal = float(s["normal_y"]) if s["normal_is_valid"] else None
        self.next_float_normal = float(s["next_float_normal"]) if s["next_float_normal_is_valid"] else None

    # ---- continuous samplers ----------------------------------------------------------------------------
    def uniform(self, n: int, dtype, low: float, high: float):
        """U[low, high): fma(u, high − low, low), in float32 for float32/float16 (then rounded); a
        value that rounds up to ``high`` becomes ``low``, so that none reaches the open end."""
        if dtype == numpy.float64:
            out = vecmath.fma64(self.uniform64(n), high - low, low)
        else:
            a, b = numpy.float32(low), numpy.float32(high)
            out = vecmath.fma32(self.uniform32(n), b - a, a).astype(dtype, copy=False)
        out[out == out.dtype.type(high)] = low
        return out

    def normal(self, n: int, dtype, mean: float, std: float, contiguous: bool):
        """N(mean, std²). A contiguous output of ≥ 16 elements is filled by Box–Muller in blocks
        of 16 (``normal_fill``); anything else draws one double normal at a time."""
        if n >= 16 and contiguous:
            if dtype == numpy.float64:
                return self._normal_fill(self.uniform64, _box_muller16_double, n, mean, std)
            return self._normal_fill(self.uniform32, _box_muller16_float, n,
                                     numpy.float32(mean), numpy.float32(std),
                                     tail_drawn=dtype != numpy.float16).astype(dtype, copy=False)
        return _narrow(self._normal_serial(n, mean, std, dtype == numpy.float64), dtype)

    def _normal_fill(self, uniform, box_muller16, n, mean, std, tail_drawn=True):
        """n uniforms, transformed 16 at a time (u1 = 1 − first eight, u2 = last eight); when 16 does
        not divide n, the last 16 places are drawn again and transformed once more. (float16's
        kernel draws only the whole blocks' uniforms before the last 16: ``tail_drawn=False``.)"""
        whole = n - n % 16
        blocks = uniform(n if tail_drawn else whole)[:whole].reshape(-1, 16)
        out = numpy.empty(n, blocks.dtype)
        for i in range(0, len(blocks), _ROWS):        # in pieces that stay in cache: ~25% faster
            part = blocks[i:i + _ROWS]
            out[16 * i:16 * i + part.size] = box_muller16(part, mean, std).ravel()
        if whole != n:
            out[n - 16:] = box_muller16(uniform(16).reshape(1, 16), mean, std).ravel()
        return out

    def _normal_serial(self, n: int, mean: float, std: float, exact: bool):
        """``normal_distribution<double>``: each pair of uniforms (u1, u2) gives r·cos θ now and
        r·sin θ later (cached on the generator), r = √(−2 log(1 − u2)), θ = 2π u1; x·std + mean."""
        z = []
        if n and self.next_double_normal is not None:
            z, self.next_double_normal = [self.next_double_normal], None
        pairs = -(-(n - len(z)) // 2)
        u = self.uniform64(2 * pairs)
        r = numpy.sqrt(-2.0 * vecmath.libm("log1p", -u[1::2], exact))
        theta = 2.0 * math.pi * u[0::2]
        fresh = numpy.empty(2 * pairs)
        fresh[0::2], fresh[1::2] = (r * vecmath.libm("cos", theta, exact),
                                    r * vecmath.libm("sin", theta, exact))
        z = numpy.concatenate([z, fresh])
        if len(z) > n:         # kept in the state, and read later by float64 draws too: libm's value
            self.next_double_normal = math.sqrt(-2.0 * math.log1p(-u[-1])) * math.sin(2.0 * math.pi * u[-2])
        return vecmath.fma64(z[:n], std, mean)

    def log_normal(self, n: int, dtype, mean: float, std: float):
        """exp(N(mean, std²)), one double normal at a time."""
        exact = dtype == numpy.float64
        return _narrow(vecmath.libm("exp", self._normal_serial(n, mean, std, exact), exact), dtype)

    def exponential(self, n: int, dtype, lambd: float):
        """Exp(λ): −1/λ · log(1 − u), u of 53 bits."""
        exact = dtype == numpy.float64
        return _narrow((-1.0 / lambd) * vecmath.libm("log1p", -self.uniform64(n), exact), dtype)

    def cauchy(self, n: int, dtype, median: float, sigma: float):
        """Cauchy(median, σ): median + σ·tan(π(u − ½)), u of 53 bits."""
        exact = dtype == numpy.float64
        t = vecmath.libm("tan", math.pi * (self.uniform64(n) - 0.5), exact)
        return _narrow(vecmath.fma64(sigma, t, median), dtype)

    def geometric(self, n: int, dtype, p: float):
        """Geometric(p) on {1, 2, ...}: ⌈log u / log(1 − p)⌉, u of 53 bits."""
        exact = dtype == numpy.float64
        return _narrow(numpy.ceil(vecmath.libm("log", self.uniform64(n), exact) / math.log1p(-p)), dtype)

    # ---- discrete samplers ----------------------------------------------------------------------------
    def bernoulli(self, n: int, p, dtype):
        """1 where u < p, else 0, for a number p or n of them. A float64 p (a Python number
        included) is compared with a 53-bit double, a float32 or float16 p with a 24-bit float:
        ``bernoulli_distribution<double>`` and ``<float>``."""
        p = numpy.asarray(p)
        if p.dtype == numpy.float64:
            u = self.uniform64(n)
        else:
            u, p = self.uniform32(n), p.astype(numpy.float32)
        return (u < p.ravel() if p.ndim else u < p).astype(dtype)

    def random_from_to(self, n: int, dtype, span: int, low: int):
        """Integers in [low, low + span): word % span + low, from random64() when span ≥ 2²⁸ (PyTorch
        2.13's bound, which keeps the modulo's bias small) and from one word otherwise."""
        words = self.random64(n) if span >= 2 ** 28 else self.random(n)
        offset = (words % numpy.uint64(span) + numpy.uint64(low % 2 ** 64)).view(numpy.int64)
        return offset.astype(dtype)

    def random_full_range(self, n: int, dtype):
        """Any int64 (``random_(-2**63, None)``): random64() read as a signed integer."""
        return self.random64(n).view(numpy.int64).astype(dtype)

    def random_(self, n: int, dtype):
        """``random_()``: word % (max + 1) for an integer dtype, % (2^digits + 1) for a floating one,
        & 1 for bool; int64 and float64 take random64()."""
        dtype = numpy.dtype(dtype)
        wide = dtype in (numpy.int64, numpy.float64)
        words = self.random64(n) if wide else self.random(n)
        return (words % numpy.uint64(_INT_RANGE[dtype.name])).astype(dtype)

    def randperm(self, n: int):
        """PyTorch's Fisher–Yates shuffle of 0..n−1: for i = 0..n−2, swap r[i] with r[i + z],
        z = word % (n − i); computed without a loop over i, see :func:`fisher_yates`."""
        if n < 2:
            return numpy.arange(n)
        return fisher_yates(self.random(n - 1), n)

    def multinomial_with_replacement(self, probs, n_sample: int):
        """Rows of category indices: each sample is a 53-bit u placed by binary search in the row's
        cumulative sums, divided by their total and with the last one set to 1 (the first index
        whose cumulative probability is ≥ u). float16 rows accumulate in float32."""
        acc = numpy.float64 if probs.dtype == numpy.float64 else numpy.float32
        cum = numpy.cumsum(probs, axis=-1, dtype=acc)     # NumPy's cumsum adds in order, as PyTorch's loop
        cum /= cum[:, -1:]
        cum[:, -1] = 1
        u = self.uniform64(probs.shape[0] * n_sample).reshape(-1, n_sample)
        return numpy.stack([numpy.searchsorted(c, row, side="left")
                            for c, row in zip(cum, u)]).astype(numpy.int64)


def _narrow(x, dtype):
    """A double result in ``dtype``; to float16 through float32, as C++ converts a double to Half."""
    if dtype == numpy.float16:
        x = x.astype(numpy.float32)
    return x.astype(dtype, copy=False)


def _box_muller16_float(d, mean, std):
    """PyTorch's ``normal_fill_16_AVX2`` on rows of 16 float32 uniforms: r = √(−2 ln(1 − d[:8])),
    θ = 2π·d[8:], out = (r cos θ, r sin θ)·std + mean, with Cephes' ln, sin and cos."""
    radius = numpy.sqrt(numpy.float32(-2.0) * vecmath.log_ps(numpy.float32(1.0) - d[:, :8]))
    sin, cos = vecmath.sincos_ps(_TWO_PI_F * d[:, 8:])
    out = numpy.concatenate([radius * cos, radius * sin], axis=1)
    return out if std == 1 and mean == 0 else vecmath.fma32(out, std, mean)


def _box_muller16_double(d, mean, std):
    """PyTorch's scalar ``normal_fill_16`` for float64: the same transform with libm's functions."""
    radius = numpy.sqrt(-2.0 * vecmath.libm("log", 1.0 - d[:, :8], True))
    theta = 2.0 * math.pi * d[:, 8:]
    out = numpy.concatenate([radius * vecmath.libm("cos", theta, True),
                             radius * vecmath.libm("sin", theta, True)], axis=1)
    return vecmath.fma64(out, std, mean)


def fisher_yates(words, n: int):
    """The permutation PyTorch's loop ``swap(r[i], r[t_i]), t_i = i + words[i] % (n − i)`` leaves,
    found without running it.

    Step i fixes r[i] for good (later steps touch only positions > i) to whatever position t_i
    holds just before it. A position j is written only by the steps that target it, each leaving
    there the value its own position held, so "the value at j before step i" is "the value at k
    before step k" for the last step k < i that targeted j, or j itself if none did. Following
    those links back (each to an earlier step) ends at a step whose position was still untouched:
    that position's index is the value. The links come from grouping the steps by target (one
    stable sort); the chains are followed by pointer doubling, so about log₂(n) gathers in all.
    """
    steps = numpy.arange(n + 1)                          # n: "no such step"
    target = steps[:n].copy()                            # the last step, n − 1, targets itself
    target[:-1] += words.astype(numpy.uint32) % (n - steps[:n - 1]).astype(numpy.uint32)
    if n <= 2 ** 16:                                     # by target, then by step: a radix sort of uint16
        by_target = numpy.argsort(target.astype(numpy.uint16), kind="stable")
    else:                                                # (or one of unique keys)
        by_target = numpy.argsort(target * n + steps[:n])
    grouped = target[by_target]
    before = numpy.empty(n + 1, numpy.int64)             # the previous step with the same target
    before[n], before[by_target[0]] = n, n
    before[by_target[1:]] = numpy.where(grouped[1:] == grouped[:-1], by_target[:-1], n)
    hits = numpy.bincount(target, minlength=n)
    last = numpy.where(hits > 0, by_target[numpy.cumsum(hits) - 1], n)    # last step targeting j
    last = numpy.where(last == steps[:n], before[last], last)              # ... other than step j
    root = numpy.append(numpy.where(last < n, last, steps[:n]), n)         # value at j before step j
    while True:
        deeper = root[root]
        if numpy.array_equal(deeper, root):
            break
        root = deeper
    return numpy.where(before[:n] < n, root[before[:n]], target)
