"""Tensor contractions: einsum and tensordot.

``einsum("ij,jk->ik", a, b)`` is out[i,k] = Σ_j a[i,j]·b[j,k]: every label names a dimension,
labels in the output are kept, the others are summed over. ndgrad computes it the way PyTorch
does, so that dtypes and memory layouts come out the same:

1. every operand is brought to one shared dimension order, output labels first, then the summed
   ones (a repeated label becomes a diagonal, a missing one a size-1 dim);
2. the operands are contracted left to right, each pair with one batched matrix product;
3. what is left to sum is summed.

Each step is an ordinary differentiable op (diagonal, permute, sum, bmm, view), so the gradient
needs no code of its own.  ``tensordot`` is the two-operand special case written with one mm.
"""
from __future__ import annotations

import math

from ..tensor import Tensor, _dim
from .linalg import bmm, mm

__all__ = ["einsum", "tensordot"]

_ELLIPSIS = -1          # stands for "..." in a list of labels
_LABELS = 52            # A-Z then a-z: the order of implicit outputs and of the summed dims


def _label(ch: str) -> int:
    return ord(ch) - ord("A") if ch.isupper() else ord(ch) - ord("a") + 26


def _letter(label: int) -> str:
    return chr(ord("A") + label) if label < 26 else chr(ord("a") + label - 26)


def _is_label(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _parse_inputs(lhs: str, num_ops: int) -> list:
    """The labels of each operand, ``_ELLIPSIS`` where "..." stands."""
    labels, i = [[]], 0
    while i < len(lhs):
        ch, op = lhs[i], len(labels) - 1
        if ch == ".":
            if _ELLIPSIS in labels[-1]:
                raise RuntimeError(f"einsum(): found '.' for operand {op} for which an ellipsis was "
                                   "already found")
            if lhs[i:i + 3] != "...":
                raise RuntimeError(f"einsum(): found '.' for operand {op} that is not part of any ellipsis")
            labels[-1].append(_ELLIPSIS)
            i += 2
        elif ch == ",":
            if len(labels) == num_ops:
                raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
            labels.append([])
        elif _is_label(ch):
            labels[-1].append(_label(ch))
        elif ch != " ":
            raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the equation string, "
                               "subscripts must be in [a-zA-Z]")
        i += 1
    if len(labels) != num_ops:
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    return labels


def _positions(equation: str, counts: list, ell_ndim: int):
    """Where each label (and the ellipsis dims) go in the shared order: output dims first.
    Returns (position per label, first ellipsis position, number of output dims, of all dims)."""
    position = [-1] * _LABELS
    arrow = equation.find("->")
    if arrow < 0:                         # implicit output: "..." then the labels seen once, sorted
        ell_at, n = 0, ell_ndim
        for label in range(_LABELS):
            if counts[label] == 1:
                position[label], n = n, n + 1
    else:
        ell_at, n, rhs, i = None, 0, equation[arrow + 2:], 0
        while i < len(rhs):
            ch = rhs[i]
            if ch == ".":
                if ell_at is not None:
                    raise RuntimeError("einsum(): found '.' for output but an ellipsis (...) "
                                       "was already found")
                if rhs[i:i + 3] != "...":
                    raise RuntimeError("einsum(): found '.' for output that is not part of any "
                                       "ellipsis (...)")
                ell_at, n, i = n, n + ell_ndim, i + 2
            elif _is_label(ch):
                label = _label(ch)
                if counts[label] == 0 or position[label] >= 0:
                    why = "appears more than once in the output" if position[label] >= 0 else \
                        "does not appear in the equation for any input operand"
                    raise RuntimeError(f"einsum(): output subscript {ch} {why}")
                position[label], n = n, n + 1
            elif ch != " ":
                raise RuntimeError(f"einsum(): invalid subscript given at index {arrow + 2 + i} in the "
                                   "equation string, subscripts must be in [a-zA-Z]")
            i += 1
    n_out = n
    if ell_at is None:                    # "..." not in the output: its dims are summed
        ell_at, n = n, n + ell_ndim
    for label in range(_LABELS):
        if counts[label] and position[label] < 0:
            position[label], n = n, n + 1
    return position, ell_at, n_out, n


def _align(operands, op_labels, position, ell_at, ell_ndim, n_all):
    """Each operand permuted to the shared order (diagonals for repeated labels, size-1 dims for
    missing ones) and, per shared dim, how many operands have it with a size other than 1."""
    label_size, ell_size, nontrivial = [1] * _LABELS, [1] * ell_ndim, [0] * n_all
    aligned = []
    for i, (op, labels) in enumerate(zip(operands, op_labels)):
        perm, d, covered = [-1] * n_all, 0, op.ndim - (len(labels) - 1)      # dims under "..."
        for label in labels:
            if label == _ELLIPSIS:
                for j in range(ell_ndim - covered, ell_ndim):       # ellipsis dims align on the right
                    size = op.shape[d]
                    if size != 1:
                        if ell_size[j] not in (1, size):
                            raise RuntimeError(
                                f"einsum(): dimension {d} covered by ellipsis in operand {i}has size {size} "
                                f"which does not broadcast with previously seen ellipsis with size "
                                f"{ell_size[j]} for the respective dimension")
                        ell_size[j] = size
                        nontrivial[ell_at + j] += 1
                    perm[ell_at + j], d = d, d + 1
            elif perm[position[label]] < 0:
                size = op.shape[d]
                if size != 1:
                    if label_size[label] not in (1, size):
                        raise RuntimeError(
                            f"einsum(): subscript {_letter(label)} has size {size} for operand {i} which "
                            f"does not broadcast with previously seen size {label_size[label]}")
                    label_size[label] = size
                    nontrivial[position[label]] += 1
                perm[position[label]], d = d, d + 1
            else:                                                  # repeated label: its diagonal
                first = perm[position[label]]
                if op.shape[d] != op.shape[first]:
                    raise RuntimeError(f"einsum(): subscript {_letter(label)} is repeated for operand {i} "
                                       f"but the sizes don't match, {op.shape[d]} != {op.shape[first]}")
                op = op.diagonal(0, first, d).movedim(-1, first)
        for k in range(n_all):
            if perm[k] < 0:
                op, perm[k], d = op.unsqueeze(d), d, d + 1
        aligned.append(op.permute(perm))
    return aligned, nontrivial


def _sum_product(left, right, sum_dims):
    """(left * right).sum(sum_dims, keepdim=True) for operands aligned to the same dims, as one bmm:
    left becomes (batch, rows, summed), right (batch, summed, cols)."""
    if not sum_dims:
        return left * right
    both, only_left, only_right = [], [], []          # the kept dims, by who has them
    for d in range(left.ndim):
        if d not in sum_dims:
            in_left, in_right = left.shape[d] != 1, right.shape[d] != 1
            (both if in_left and in_right else only_left if in_left else only_right).append(d)
    if only_left and only_right and only_right[-1] < only_left[0]:
        # right's dims come first in the output: swapping lets bmm write them in that order
        left, right, only_left, only_right = right, left, only_right, only_left

    def size(t, dims):
        return math.prod([t.shape[d] for d in dims])
    rows = left.permute(both + only_left + sum_dims + only_right).reshape(
        size(left, both), size(left, only_left), size(left, sum_dims))
    cols = right.permute(both + sum_dims + only_right + only_left).reshape(
        size(left, both), size(left, sum_dims), size(right, only_right))
    order = both + only_left + sum_dims + only_right
    out_shape = [left.shape[d] for d in both + only_left] + [1] * len(sum_dims) + \
        [right.shape[d] for d in only_right]
    inverse = sorted(range(len(order)), key=order.__getitem__)
    return bmm(rows, cols).view(out_shape).permute(inverse)


def _contract(ops: list, nontrivial: list, n_out: int, n_all: int) -> Tensor:
    """Multiply the aligned operands left to right, summing each dim after its last operand."""
    while len(ops) > 1:
        a, b = ops.pop(0), ops.pop(0)
        sum_dims, a_only, b_only = [], [], []
        for d in range(n_out, n_all):
            in_a, in_b = a.shape[d] != 1, b.shape[d] != 1
            if in_a and in_b:
                nontrivial[d] -= 1
                if nontrivial[d] == 1:             # no later operand has it: sum it in this product
                    sum_dims.append(d)
                    nontrivial[d] = 0
            elif nontrivial[d] == 1 and (in_a or in_b):   # only this one has it: sum it first
                (a_only if in_a else b_only).append(d)
                nontrivial[d] = 0
        if a_only:
            a = a.sum(a_only, keepdim=True)
        if b_only:
            b = b.sum(b_only, keepdim=True)
        ops.insert(0, _sum_product(a, b, sum_dims))
    return ops[0]


def _sublist_equation(args) -> tuple:
    """einsum(a, [0, 1], b, [1, 2], [0, 2]) as an equation and its operands."""
    def letters(sub):
        out = ""
        for s in sub:
            if s is Ellipsis:
                out += "..."
            elif 0 <= s < _LABELS:
                out += _letter(s)
            else:
                raise ValueError("einsum(): subscript in subscript list is not within the "
                                 "valid range [0, 52)")
        return out
    equation = ",".join(letters(sub) for sub in args[1::2])
    if len(args) % 2 == 1:
        return equation + "->" + letters(args[-1]), args[:-1:2]
    return equation, args[::2]


def einsum(*args) -> Tensor:
    """Einstein summation: ``einsum("bij,bjk->bik", a, b)``; also ``einsum(eq, [a, b])`` and the
    sublist form ``einsum(a, [0, 1], b, [1, 2], [0, 2])``.

    out[output labels] = Σ over the other labels of Π_operands operand[its labels]; a label
    repeated in one operand takes its diagonal, "..." stands for broadcast dims.
    """
    if len(args) < 2:
        raise ValueError("einsum(): must specify the equation string and at least one operand, "
                         "or at least one operand and its subscripts list")
    if isinstance(args[0], Tensor):
        equation, operands = _sublist_equation(args)
    else:
        equation, operands = args[0], args[1:]
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    for i, op in enumerate(operands):
        if not isinstance(op, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 1, but got {type(op).__name__}")
    arrow = equation.find("->")
    op_labels = _parse_inputs(equation if arrow < 0 else equation[:arrow], len(operands))
    counts, ell_ndim = [0] * _LABELS, 0
    for i, (op, labels) in enumerate(zip(operands, op_labels)):
        named = [lb for lb in labels if lb != _ELLIPSIS]
        for lb in named:
            counts[lb] += 1
        has_ellipsis = len(named) < len(labels)
        if has_ellipsis:
            ell_ndim = max(ell_ndim, op.ndim - len(named))
        if len(named) > op.ndim or (not has_ellipsis and len(named) != op.ndim):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(named)}) "
                + ("is more than" if has_ellipsis else "does not match") + f" the number of dimensions "
                f"({op.ndim}) for operand {i}" + ("" if has_ellipsis else " and no ellipsis was given"))
    position, ell_at, n_out, n_all = _positions(equation, counts, ell_ndim)
    ops, nontrivial = _align(operands, op_labels, position, ell_at, ell_ndim, n_all)
    out = _contract(ops, nontrivial, n_out, n_all)
    if n_all == n_out:
        return out
    if len(operands) > 1:                  # the summed dims are all size 1 by now
        return out.view(out.shape[:n_out])
    return out.sum(list(range(n_out, n_all)))


def _distinct_dims(dims, ndim: int) -> list:
    out = [_dim(d, ndim) for d in dims]
    for d in out:
        if out.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return out


def tensordot(a, b, dims=2) -> Tensor:
    """Σ over paired dims: ``dims=d`` pairs a's last d dims with b's first d; ``dims=([1, 2], [0, 1])``
    names them. The result has a's free dims, then b's.

    out[i..., j...] = Σ_k a[i..., k...]·b[k..., j...], computed as one (free_a × k) @ (k × free_b) mm.
    """
    if not isinstance(dims, (tuple, list, Tensor, int)) or isinstance(dims, bool):
        raise RuntimeError("tensordot expects dims to be int or tuple[list[int], list[int]] or "
                           f"list[list[int]] containing two lists, but got dims={dims}")
    if isinstance(dims, Tensor):
        dims = dims.tolist() if dims.numel() > 1 else int(dims.item())
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims = (list(range(-dims, 0)), list(range(dims)))
    dims_a, dims_b = dims
    for position, name, ds in ((3, "dims_self", dims_a), (4, "dims_other", dims_b)):
        if not isinstance(ds, (list, tuple)):
            raise TypeError(f"tensordot(): argument '{name}' (position {position}) must be tuple of ints, "
                            f"not {type(ds).__name__}")
    if len(dims_a) != len(dims_b):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"both inputs should have same dtype, got {a.dtype} and {b.dtype}")
    norm_a, norm_b = _distinct_dims(dims_a, a.ndim), _distinct_dims(dims_b, b.ndim)
    k = 1
    for da, db, na, nb in zip(dims_a, dims_b, norm_a, norm_b):
        sa, sb = a.shape[na], b.shape[nb]
        if sb == 1:                        # a broadcast dim: sum it away on the other side first
            a = a.sum(na, keepdim=True, dtype=a.dtype)
        elif sa == 1:
            b = b.sum(nb, keepdim=True, dtype=b.dtype)
        elif sa != sb:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {sa} in dim {da} "
                               f"and second has size {sb} in dim {db}")
        else:
            k *= sa
    free_a = [d for d in range(a.ndim) if d not in norm_a]
    free_b = [d for d in range(b.ndim) if d not in norm_b]
    shape_a, shape_b = [a.shape[d] for d in free_a], [b.shape[d] for d in free_b]
    rows = a.permute(free_a + norm_a).reshape(math.prod(shape_a), k)
    cols = b.permute(norm_b + free_b).reshape(k, math.prod(shape_b))
    return mm(rows, cols).reshape(shape_a + shape_b)
