"""``default_collate``: a list of samples → one batch, keeping the samples' structure
(tuples become lists of batched fields, dicts stay dicts, numbers become tensors)."""
from __future__ import annotations

import collections.abc
import re

from ... import dtypes
from ...ops.creation import as_tensor, tensor
from ...ops.join import stack
from ...tensor import Tensor

__all__ = ["default_collate", "default_convert"]

_ERROR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}")
_NUMPY_OBJECT = re.compile(r"[SaUO]")


def _is_numpy(x) -> bool:
    return type(x).__module__ == "numpy"


def default_collate(batch):
    """Stack tensors (and NumPy arrays) along a new first dim; Python floats → float64, ints →
    int64; strings stay a list; mappings, named tuples and sequences are collated field by field."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(batch, 0)
    if _is_numpy(elem) and not isinstance(elem, (str, bytes)):
        if _NUMPY_OBJECT.search(elem.dtype.str) is not None:
            raise TypeError(_ERROR.format(elem.dtype))
        return default_collate([as_tensor(b) for b in batch])
    if isinstance(elem, float):
        return tensor(batch, dtype=dtypes.float64)
    if isinstance(elem, int):
        return tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        fields = {key: default_collate([d[key] for d in batch]) for key in elem}
        try:
            return type(elem)(fields)              # an OrderedDict stays an OrderedDict
        except TypeError:
            return fields
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):          # a namedtuple
        return type(elem)(*(default_collate(s) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if not all(len(e) == size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(s) for s in zip(*batch)]
    raise TypeError(_ERROR.format(type(elem)))


def default_convert(data):
    """Without batching (``batch_size=None``): NumPy arrays become tensors, the rest is kept."""
    if _is_numpy(data) and hasattr(data, "dtype") and _NUMPY_OBJECT.search(data.dtype.str) is None:
        return as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return {k: default_convert(v) for k, v in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, (list, tuple)):         # tuples become lists, as in PyTorch
        return [default_convert(d) for d in data]
    return data
