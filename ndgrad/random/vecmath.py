"""The floating-point steps of PyTorch's CPU samplers, reproduced bit for bit on NumPy arrays.

Three things make a sampler's last bit differ between two libraries, and each has its answer here:

- **Fused multiply-adds.** PyTorch's CPU kernels are compiled with FMA contraction, so
  ``u * (b - a) + a`` is rounded once, not twice. :func:`fma32` and :func:`fma64` compute that.
- **Which ``log``/``sin``/``cos``.** For float32 ``randn`` PyTorch's AVX2 kernel uses Cephes'
  polynomials (Julien Pommier's ``avx_mathfun``), not the C library: :func:`log_ps` and
  :func:`sincos_ps` evaluate the same polynomials in the same order, with the same fused steps.
- **The C library.** Double-precision samplers call libm (``log1p``, ``log``, ``exp``, ``tan``);
  NumPy's vectorised versions differ from libm in the last bit for a few inputs in a hundred.
  :func:`libm` calls the platform's libm itself, through Python's ``math``, when the result is a
  float64 that keeps that bit; narrower results round it away, so NumPy's functions serve them.
"""
from __future__ import annotations

import math

import numpy

__all__ = ["fma32", "fma64", "libm", "log_ps", "sincos_ps"]

_f32, _f64 = numpy.float32, numpy.float64


def fma32(a, b, c):
    """round₃₂(a·b + c) for float32 operands. a·b is exact in float64 (24 + 24 bits); the sum is
    rounded to float64 and then to float32, which differs from one rounding only when the float64
    sum lands exactly on a float32 tie: about once in 2²⁸ draws."""
    return (numpy.multiply(a, b, dtype=_f64) + c).astype(_f32)


def fma64(a, b, c):
    """round₆₄(a·b + c) for float64 operands, rounded once. Error-free steps split the exact value
    into r + x + y (Dekker's product a·b = p + e, then Knuth's two-sums), r the sum rounded to
    nearest and x + y below half of r's last place; x + y is then rounded to odd (to its odd
    neighbour when inexact), which keeps the sticky bit that decides whether r + (x + y) sits
    above, on or below a tie, so r + that is the once-rounded result."""
    a, b, c = numpy.asarray(a, _f64), numpy.asarray(b, _f64), numpy.asarray(c, _f64)
    p = a * b
    a_hi, a_lo = _split(a)
    b_hi, b_lo = _split(b)
    e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo       # a·b = p + e exactly
    s, e1 = _two_sum(p, c)
    t, e2 = _two_sum(e1, e)
    r, e3 = _two_sum(s, t)                                                   # a·b + c = r + e3 + e2
    x, y = _two_sum(e3, e2)
    odd = numpy.where((y != 0) & ((x.view(numpy.int64) & 1) == 0),
                      numpy.nextafter(x, numpy.where(y > 0, numpy.inf, -numpy.inf)), x)
    return r + odd


def _two_sum(a, b):
    """(a + b rounded, its rounding error): a + b = s + err exactly (Knuth)."""
    s = a + b
    back = s - a
    return s, (a - (s - back)) + (b - back)


def _split(x):
    """x = hi + lo with hi holding the top 26 bits (Veltkamp's splitting)."""
    t = x * 134217729.0                      # 2**27 + 1
    hi = t - (t - x)
    return hi, x - hi


def libm(name: str, x, exact: bool):
    """``math.<name>`` elementwise (the C library PyTorch calls) when ``exact``, else NumPy's."""
    if not exact:
        return getattr(numpy, name)(x)
    return numpy.frompyfunc(getattr(math, name), 1, 1)(x).astype(_f64)


# Cephes' single-precision log: ln(x) = ln(m) + e·ln 2, m in [√½, √2), ln(1 + t) by a degree-9
# polynomial, ln 2 split into two parts (q2 + q1) so that e·ln 2 keeps its precision.
_LOG_P = tuple(_f32(c) for c in (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
                                 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
                                 3.3333331174e-1))
_LOG_Q1, _LOG_Q2 = _f32(-2.12194440e-4), _f32(0.693359375)
_SQRTHF, _HALF, _ONE = _f32(0.707106781186547524), _f32(0.5), _f32(1.0)
_MIN_NORMAL = numpy.array(0x00800000, numpy.int32).view(_f32)


def log_ps(x):
    """ln(x) of a float32 array as ``log256_ps`` computes it (NaN for x ≤ 0)."""
    invalid = x <= 0
    x = numpy.maximum(x, _MIN_NORMAL)
    bits = x.view(numpy.int32)
    e = ((bits >> 23) - 0x7f).astype(_f32) + _ONE
    m = ((bits & ~0x7f800000) | 0x3f000000).view(_f32)         # mantissa scaled to [0.5, 1)
    small = m < _SQRTHF
    e -= small                                                   # m < √½: use 2m and e − 1
    t = m - _ONE + numpy.where(small, m, _f32(0))
    z = t * t
    y = numpy.full_like(t, _LOG_P[0])
    for c in _LOG_P[1:]:
        y = fma32(y, t, c)
    y = fma32(y * t, z, e * _LOG_Q1)
    y = fma32(-z, _HALF, y)
    out = fma32(e, _LOG_Q2, t + y)
    out[invalid] = numpy.nan
    return out


# Cephes' single-precision sin/cos: reduce x by multiples of π/4 (π/4 split in three parts, DP1..DP3),
# then one polynomial for sin and one for cos on [−π/4, π/4], chosen and signed by the octant.
_FOPI = _f32(1.27323954473516)
_DP = tuple(_f32(c) for c in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8))
_SIN_P = tuple(_f32(c) for c in (-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1))
_COS_P = tuple(_f32(c) for c in (2.443315711809948e-005, -1.388731625493765e-003, 4.166664568298827e-002))


def sincos_ps(x):
    """(sin x, cos x) of a float32 array as ``sincos256_ps`` computes them."""
    negative = numpy.signbit(x)
    x = numpy.abs(x)
    j = (x * _FOPI).astype(numpy.int32)
    j = (j + 1) & ~1                                             # the even octant nearest x·4/π
    y = j.astype(_f32)
    for dp in _DP:
        x = fma32(y, dp, x)
    flip_sin = negative ^ ((j & 4) != 0)
    flip_cos = (~(j - 2) & 4) != 0
    use_sin_poly = (j & 2) == 0                                  # for sin; cos takes the other one
    z = x * x
    c = fma32(_COS_P[0], z, _COS_P[1])
    c = fma32(c, z, _COS_P[2])
    c = fma32(c * z, z, -(z * _HALF)) + _ONE
    s = fma32(_SIN_P[0], z, _SIN_P[1])
    s = fma32(s, z, _SIN_P[2])
    s = fma32(s * z, x, x)
    sin = numpy.where(use_sin_poly, s, c)
    cos = numpy.where(use_sin_poly, c, s)
    return numpy.where(flip_sin, -sin, sin), numpy.where(flip_cos, -cos, cos)
