"""einsum and tensordot: random equations (repeated labels, broadcast size-1 dims, ellipses,
implicit and explicit outputs) and random contraction dims, against PyTorch."""
import numpy as np
from hypothesis import strategies as st

from ..spec import Arr, Sample, register
from ..strategies import arrays

DT = ("float32", "float64", "float16", "int64", "int32", "int8", "bool")
LETTERS = "abcE"            # an upper-case label: PyTorch orders implicit outputs A-Z before a-z


def _operand(dt, shape):
    return arrays((dt,), tuple(shape), -3, 3)


@st.composite
def _einsum(draw, dtypes=DT, max_ops=3):
    """An equation and operands that fit it; some labels and ellipsis dims are size 1 in some
    operands (they broadcast)."""
    size = {c: draw(st.integers(1, 3)) for c in LETTERS}
    ell = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    dt = draw(st.sampled_from(dtypes))
    terms, ops, used, any_ellipsis = [], [], set(), False
    for _ in range(draw(st.integers(1, max_ops))):
        labels = draw(st.lists(st.sampled_from(LETTERS), max_size=3))
        ones = draw(st.sets(st.sampled_from(LETTERS)))               # broadcast labels of this operand
        shape = [1 if c in ones else size[c] for c in labels]
        term = "".join(labels)
        if draw(st.booleans()):
            k = draw(st.integers(0, len(ell)))
            e_shape = [draw(st.sampled_from([1, s])) for s in ell[len(ell) - k:]]
            at = draw(st.integers(0, len(labels)))
            shape[at:at] = e_shape
            term, any_ellipsis = term[:at] + "..." + term[at:], True
        terms.append(term)
        used.update(labels)
        ops.append(draw(_operand(dt, shape)))
    equation = ",".join(terms)
    if draw(st.booleans()):
        out = list(draw(st.permutations(sorted(used))))[:draw(st.integers(0, len(used)))]
        if any_ellipsis and draw(st.booleans()):
            out.insert(draw(st.integers(0, len(out))), "...")
        equation += "->" + "".join(out)
    if draw(st.booleans()):
        equation = equation.replace(",", ", ")                      # spaces are allowed
    return Sample((equation, *ops))


@st.composite
def _einsum_bad(draw):
    """An equation that does not fit its operands: a wrong rank, sizes that do not broadcast,
    a missing operand, an unknown output label, a character that is no label."""
    x = draw(_operand("float32", (2, 3)))
    y = draw(_operand("float32", (4, 3)))
    return draw(st.sampled_from([
        Sample(("ijk", x)), Sample(("ij,ij->ij", x, y)), Sample(("ij,jk", x)), Sample(("ij", x, y)),
        Sample(("ij->k", x)), Sample(("ij->ii", x)), Sample(("i1", x)), Sample(("i.j", x)),
        Sample(("ii", x)), Sample(("...i,...i", Arr(np.ones((2, 3), np.float32)), y))]))


@st.composite
def _bool_contraction(draw):
    return Sample(("ij,jk", draw(_operand("bool", (2, 3))), draw(_operand("bool", (3, 2)))))


register("einsum", {"function": lambda lib, eq, *ops: lib.einsum(eq, *ops),
                    "list": lambda lib, eq, *ops: lib.einsum(eq, list(ops))},
         _einsum(),
         errors=(("an equation that does not fit", _einsum_bad()),
                 ("a bool contraction", _bool_contraction())),
         note="1 to 3 operands of one dtype; int results follow PyTorch's steps (a label summed "
              "within one operand is summed first, which makes ints int64)")


@st.composite
def _tensordot(draw, dtypes=("float32", "float64", "int64", "int32"), mismatch=False):
    """Two tensors and dims: an int (a's last k dims with b's first k), or two lists of dims in any
    order, negative ones too; some contracted dims are size 1 on one side (they broadcast)."""
    dt = draw(st.sampled_from(dtypes))
    free_a = draw(st.lists(st.integers(1, 3), max_size=2))
    free_b = draw(st.lists(st.integers(1, 3), max_size=2))
    k = draw(st.lists(st.integers(1, 3), min_size=int(mismatch), max_size=3))
    ka = [draw(st.sampled_from([s, 1])) for s in k]
    kb = [s if a == 1 else draw(st.sampled_from([s, 1])) for a, s in zip(ka, k)]
    if mismatch:                           # the first contracted pair: sizes 2 and 3
        ka[0], kb[0] = 2, 3
    if draw(st.booleans()):
        a = draw(_operand(dt, free_a + ka))
        b = draw(_operand(dt, kb + free_b))
        return Sample((a, b), {"dims": len(k)})
    pa = draw(st.permutations(range(len(free_a) + len(k))))
    pb = draw(st.permutations(range(len(free_b) + len(k))))
    shape_a, shape_b = [0] * len(pa), [0] * len(pb)
    for pos, s in zip(pa, free_a + ka):
        shape_a[pos] = s
    for pos, s in zip(pb, kb + free_b):
        shape_b[pos] = s
    dims_a = [pa[len(free_a) + i] - draw(st.sampled_from([0, len(pa)])) for i in range(len(k))]
    dims_b = [pb[i] - draw(st.sampled_from([0, len(pb)])) for i in range(len(k))]
    a, b = draw(_operand(dt, shape_a)), draw(_operand(dt, shape_b))
    return Sample((a, b), {"dims": draw(st.sampled_from([(dims_a, dims_b), [dims_a, dims_b]]))})


@st.composite
def _tensordot_bad_dims(draw):
    a, b = draw(_operand("float32", (2, 3))), draw(_operand("float32", (3, 2)))
    return Sample((a, b), {"dims": draw(st.sampled_from(
        [3, -1, 1.5, ([1], [0, 1]), ([1, 1], [0, 0]), ([2], [0]), (1, 0)]))})


@st.composite
def _tensordot_dtypes(draw):
    return Sample((draw(_operand("float32", (2, 3))), draw(_operand("float64", (3, 2)))), {"dims": 1})


register("tensordot", lambda lib, a, b, **kw: lib.tensordot(a, b, **kw), _tensordot(),
         errors=(("contracted sizes differ", _tensordot(mismatch=True)),
                 ("bad dims", _tensordot_bad_dims()),
                 ("two dtypes", _tensordot_dtypes())))
