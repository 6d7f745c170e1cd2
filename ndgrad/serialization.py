"""``ndgrad.save`` / ``ndgrad.load`` without pickle.

A file is a safetensors file: 8 bytes (little-endian header length), a JSON header naming
every tensor's dtype, shape and byte range, then the raw bytes. The saved object's structure
(dicts, lists, tuples, numbers, strings, where each tensor sits) is JSON in the header's
``__metadata__``. Loading therefore never runs code from the file, and a flat state_dict is
an ordinary safetensors file that ``safetensors.torch.load_file`` reads, tensor names = keys.

Tensors that share memory stay shared, as PyTorch's do: a tensor saved twice loads as one object,
and views of one base (tied weights, a state_dict's entries detached from one parameter) are
written once, as one entry over the memory they span, with each record saying where in it its
tensor lies; loading makes them views of that one array again.

Writes are atomic: the bytes go to a temporary file beside the target, which then replaces it,
so an interrupted save leaves the previous file intact.
"""
from __future__ import annotations

import json
import math
import os
import secrets
import stat
import struct
from collections import OrderedDict

from . import backend, dtypes
from .nn.parameter import Parameter
from .tensor import Size, Tensor, _wrap

__all__ = ["save", "load"]

_CODES = {"float16": "F16", "float32": "F32", "float64": "F64", "int8": "I8", "int16": "I16",
          "int32": "I32", "int64": "I64", "uint8": "U8", "bool": "BOOL"}
_NUMPY = {code: name for name, code in _CODES.items()}
#: safetensors dtypes that ndgrad has no dtype for
_UNSUPPORTED = {"BF16", "U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2",
                "C64"}
_FORMAT = "ndgrad/2"                       # 2: records may be views into a shared entry
_FORMATS = ("ndgrad/1", _FORMAT)
_MAX_HEADER = 100_000_000                  # safetensors' MAX_HEADER_SIZE


class _Writer:
    """Walks the object: collects tensors (named by their path) and returns the JSON structure.
    A tensor met again is recorded as the same object (``{"__same__": k}``, the k-th met)."""

    def __init__(self):
        self.met: list[tuple[dict, Tensor]] = []      # (its record, the tensor), in the order met
        self._index: dict[int, int] = {}              # id(tensor) -> its place in met
        self._names: set[str] = set()

    def encode(self, obj, path: str):
        if isinstance(obj, Tensor):
            return self._tensor(obj, path)
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, (int, float)):
            if isinstance(obj, float) and not math.isfinite(obj):
                return {"__float__": repr(obj)}
            return obj
        if isinstance(obj, Size):
            return {"__size__": list(obj)}
        if isinstance(obj, dtypes.dtype):
            return {"__dtype__": str(obj).rsplit(".", 1)[-1]}
        if isinstance(obj, tuple):
            return {"__tuple__": [self.encode(v, f"{path}.{i}") for i, v in enumerate(obj)]}
        if isinstance(obj, list):
            return [self.encode(v, f"{path}.{i}") for i, v in enumerate(obj)]
        if isinstance(obj, dict):
            items = [[self.encode(k, path), self.encode(v, _join(path, k))] for k, v in obj.items()]
            if not all(isinstance(k, (str, int, float, bool, type(None))) for k in obj):
                raise TypeError("ndgrad.save: dict keys must be strings or numbers, "
                                f"got {type(next(iter(obj)))}")
            kind = "__odict__" if isinstance(obj, OrderedDict) else "__dict__"
            return {kind: items}
        raise TypeError(f"ndgrad.save stores tensors, numbers, strings, None and dicts/lists/tuples of them "
                        f"(no pickle, so no arbitrary objects); got {type(obj).__module__}."
                        f"{type(obj).__name__} at {path or 'the top level'!r}")

    def _tensor(self, t: Tensor, path: str):
        if id(t) in self._index:
            return {"__same__": self._index[id(t)]}
        self._index[id(t)] = len(self.met)
        name = path or "tensor"
        while name in self._names:
            name += "_"
        self._names.add(name)
        ref = {"__tensor__": name, "device": str(t.device)}
        if t.requires_grad:
            ref["requires_grad"] = True
        if type(t) is Parameter:
            ref["parameter"] = True
        self.met.append((ref, t))
        return ref

    def entries(self) -> dict:
        """The arrays the file holds, by name. Tensors that share memory (views of one base, tied
        weights, state_dict entries detached from one parameter) are written once: one entry holds
        the memory they span, and each record gets ``"view": [offset, shape, strides]`` into it,
        in elements. Everything else is an entry of its own, as safetensors stores it."""
        out, groups = {}, {}
        for ref, t in self.met:
            groups.setdefault(id(t._base if t._base is not None else t), []).append((ref, t))
        for members in groups.values():
            shared = _sharing(members)
            inside = {id(t) for _, t in shared}
            for ref, t in members:
                if id(t) not in inside:
                    out[ref["__tensor__"]] = t.detach()._data
            if shared:
                name, span = _span(shared)
                out[name] = span
        return out


def _sharing(members: list) -> list:
    """Those of the (record, tensor) pairs with one base that lie in its memory, if two or more
    do (a base whose array was replaced no longer holds its old views)."""
    if len(members) < 2:
        return []
    first = members[0][1]
    low, high = _bounds((first._base if first._base is not None else first)._data)
    inside = [(r, t) for r, t in members
              if t._data.size and low <= _bounds(t._data)[0] and _bounds(t._data)[1] <= high]
    return inside if len(inside) >= 2 else []


def _bounds(a) -> tuple:
    """The addresses of a's lowest and highest byte."""
    first = backend.address(a)
    low = sum((n - 1) * s for n, s in zip(a.shape, a.strides) if s < 0)
    high = sum((n - 1) * s for n, s in zip(a.shape, a.strides) if s > 0)
    return first + low, first + high + a.itemsize - 1


def _span(shared: list) -> tuple:
    """(name, array): the memory the tensors span, lowest byte to highest, as one entry. It is the
    first tensor that covers it all densely, under its name and shape (a safetensors reader sees
    that tensor), else a 1-D array named after the first tensor. Each record then names the entry
    and where in it its tensor lies."""
    low = min(_bounds(t._data)[0] for _, t in shared)
    high = max(_bounds(t._data)[1] for _, t in shared)
    whole = [(r, t._data) for r, t in shared
             if t._data.flags.c_contiguous and _bounds(t._data) == (low, high)]
    if whole:
        name, span = whole[0][0]["__tensor__"], whole[0][1]
    else:
        a = next(t._data for _, t in shared if _bounds(t._data)[0] == low)
        lowest = a[tuple(slice(n - 1, n) if s < 0 else slice(0, 1) for n, s in zip(a.shape, a.strides))]
        name = shared[0][0]["__tensor__"]
        span = _xp(a).lib.stride_tricks.as_strided(lowest, ((high - low + 1) // a.itemsize,), (a.itemsize,))
    item = span.itemsize
    for ref, t in shared:
        ref["__tensor__"] = name
        ref["view"] = [(backend.address(t._data) - low) // item, list(t._data.shape),
                       [s // item for s in t._data.strides]]
    return name, span


def _xp(a):
    return backend.array_module(backend.device_of_array(a))


def _join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def _to_bytes(obj) -> bytes:
    writer = _Writer()
    structure = writer.encode(obj, "")
    header, chunks, offset = {}, [], 0
    for name, a in writer.entries().items():
        dtype_name, shape, raw = backend.to_little_endian_bytes(a)
        header[name] = {"dtype": _CODES[dtype_name], "shape": list(shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": _FORMAT, "structure": json.dumps(structure)}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)                    # safetensors aligns the data to 8 bytes
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def save(obj, f, pickle_module=None, pickle_protocol=None, _use_new_zipfile_serialization=True) -> None:
    """Save tensors, state_dicts, optimizer states or checkpoints (nested dicts/lists of tensors
    and plain values) to a path or a binary file object."""
    data = _to_bytes(obj)                              # fails before anything is written
    if hasattr(f, "write"):
        f.write(data)
        return
    path = os.path.realpath(os.fspath(f))             # a symlink: write its target, keep the link
    folder, name = os.path.split(path)
    _remove_stale_temporaries(folder, name)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}-{secrets.token_hex(4)}{_TMP_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)     # the umask applies, as for open()
    try:
        if os.path.exists(path):                      # overwriting keeps the file's mode, as open("wb") does
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)                         # atomic: a reader sees the old file or the new one
    except BaseException:
        os.unlink(tmp)
        raise


_TMP_SUFFIX = ".ndgrad-save"


def _remove_stale_temporaries(folder: str, name: str) -> None:
    """Delete what killed saves to the same file left behind: temporaries ``.name.<pid>-<token>``
    whose process no longer runs (a live one may be another save in progress)."""
    prefix = f".{name}."
    for entry in os.listdir(folder or "."):
        if not (entry.startswith(prefix) and entry.endswith(_TMP_SUFFIX)):
            continue
        pid = entry[len(prefix):-len(_TMP_SUFFIX)].partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            try:
                os.unlink(os.path.join(folder, entry))
            except FileNotFoundError:                 # another save removed it first
                pass


def _alive(pid: int) -> bool:
    if os.name != "posix":                            # (signal 0 only probes on POSIX)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:                           # exists, owned by someone else
        return True
    return True


def _corrupt(what: str, why: str) -> RuntimeError:
    return RuntimeError(f"ndgrad.load: {what} is not a valid ndgrad/safetensors file ({why})")


def _foreign(what: str, data: bytes) -> RuntimeError | None:
    """A clearer error for the formats people try: PyTorch's zip checkpoints and raw pickles."""
    if data[:4] == b"PK\x03\x04":
        return RuntimeError(f"ndgrad.load: {what} is a zip archive (PyTorch's torch.save format). It holds a "
                            "pickle, which could run arbitrary code when loaded, so ndgrad refuses it. "
                            "Re-save the tensors with safetensors (safetensors.torch.save_file) and load "
                            "that file.")
    if data[:1] == b"\x80" or data[:2] in (b"(d", b"(l", b"}q", b"]q", b"cp", b"cb", b"c_", b"cn"):
        return RuntimeError(f"ndgrad.load: {what} is a pickle. Unpickling can run arbitrary code, so ndgrad "
                            "never does it; save with ndgrad.save or safetensors instead.")
    return None


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **kwargs):
    """Load what ``save`` wrote (or any safetensors file, as a dict of tensors). Tensors go back to
    the device they were saved from, or to ``map_location`` (a device, a string, or a dict
    mapping saved device names to new ones)."""
    if hasattr(f, "read"):
        data, what = f.read(), "the file object"
    else:
        what = repr(os.fspath(f))
        with open(f, "rb") as fh:
            data = fh.read()
    try:
        return _parse(data, what, map_location)
    except RuntimeError:
        foreign = _foreign(what, data)
        if foreign is not None:
            raise foreign from None
        raise


def _parse(data: bytes, what: str, map_location):
    if len(data) < 8:
        raise _corrupt(what, f"{len(data)} bytes, too short for a header")
    (n,) = struct.unpack("<Q", data[:8])
    if n > min(len(data) - 8, _MAX_HEADER):
        raise _corrupt(what, f"the header claims {n} bytes but the file has {len(data) - 8}")
    try:
        text = data[8:8 + n].decode("utf-8")           # strictly UTF-8: json.loads would guess UTF-16/32
        header = json.loads(text) if text.startswith("{") else None     # no BOM, no leading space
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise _corrupt(what, f"the header is not UTF-8 JSON: {e}") from None
    if not isinstance(header, dict):
        raise _corrupt(what, "the header is not a JSON object starting at its first byte")
    body = memoryview(data)[8 + n:]
    meta = header.pop("__metadata__", None) or {}
    arrays = {name: _array(name, entry, body, what) for name, entry in header.items()}
    _check_coverage(header, len(body), what)
    reader = _Reader(arrays, map_location, what)
    if meta.get("format") not in _FORMATS:              # a plain safetensors file
        return OrderedDict((k, reader.tensor({"__tensor__": k})) for k in arrays)
    try:
        return reader.decode(json.loads(meta["structure"]))
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as e:   # JSONDecodeError too
        raise _corrupt(what, f"the structure record is damaged: {type(e).__name__}: {e}") from None


def _naturals(v, count=None) -> tuple | None:
    """v as a tuple of non-negative JSON integers (not floats, strings or booleans), else None."""
    if not isinstance(v, list) or count is not None and len(v) != count:
        return None
    if not all(type(x) is int and x >= 0 for x in v):
        return None
    return tuple(v)


def _array(name: str, entry, body, what: str):
    if not isinstance(entry, dict) or not {"dtype", "shape", "data_offsets"} <= set(entry):
        raise _corrupt(what, f"tensor {name!r} has a malformed entry {entry!r}")
    code, shape, offsets = entry["dtype"], _naturals(entry["shape"]), _naturals(entry["data_offsets"], 2)
    if code in _UNSUPPORTED:
        raise _corrupt(what, f"tensor {name!r} has dtype {code}, which ndgrad does not support")
    if code not in _NUMPY or shape is None or offsets is None:
        raise _corrupt(what, f"tensor {name!r} has a malformed entry {entry!r}")
    dtype, (start, end) = _NUMPY[code], offsets
    if not 0 <= start <= end <= len(body) or end - start != math.prod(shape) * backend.itemsize(dtype):
        raise _corrupt(what, f"tensor {name!r}: bytes {start}..{end} do not hold {shape} of {dtype} "
                             f"within {len(body)} bytes of data")
    return backend.from_little_endian_bytes(body[start:end], dtype, shape)


def _check_coverage(header: dict, size: int, what: str) -> None:
    """As safetensors requires: the tensors' byte ranges, in order, tile the data exactly (no
    overlap, so no tensor reads another's bytes; no gap; nothing after the last)."""
    at = 0
    for name, entry in sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"])):
        start, end = entry["data_offsets"]
        if start != at:
            raise _corrupt(what, f"tensor {name!r} starts at byte {start} of the data, expected {at} "
                                 "(byte ranges must follow each other without overlap or gap)")
        at = end
    if at != size:
        raise _corrupt(what, f"the tensors hold {at} bytes of data but the file has {size}")


#: the dtypes a structure record may name: an explicit list, so a file can only ever produce a dtype
_DTYPES = {d.name: d for d in (dtypes.bool, dtypes.uint8, dtypes.int8, dtypes.int16, dtypes.int32,
                               dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64)}


class _Reader:
    """Rebuilds the saved object from its structure record: tensors that shared memory share it
    again, and a tensor saved twice comes back as one object, as from PyTorch's pickle."""

    def __init__(self, arrays: dict, map_location, what: str):
        self.arrays, self.map_location, self.what = arrays, map_location, what
        self.met: list[Tensor] = []                     # the tensors, in the order met
        self._placed: dict = {}                         # (entry, device) -> the entry's array there

    def decode(self, node):
        if isinstance(node, list):
            return [self.decode(v) for v in node]
        if not isinstance(node, dict):
            return node
        if "__tensor__" in node:
            t = self.tensor(node)
            self.met.append(t)
            return t
        if "__same__" in node:
            k = node["__same__"]
            if type(k) is not int or not 0 <= k < len(self.met):
                raise _corrupt(self.what, f"the structure record {node!r} names no tensor met before it")
            return self.met[k]
        if "__tuple__" in node:
            return tuple(self.decode(v) for v in node["__tuple__"])
        if "__size__" in node:
            sizes = node["__size__"]
            if not isinstance(sizes, list) or not all(type(s) is int for s in sizes):
                raise _corrupt(self.what, f"the structure record {node!r} is not a list of integers")
            return Size(sizes)
        if "__dtype__" in node:
            name = node["__dtype__"]
            if not isinstance(name, str) or name not in _DTYPES:      # never a lookup in a module by name
                raise _corrupt(self.what, f"the structure record {node!r} names no ndgrad dtype")
            return _DTYPES[name]
        if "__float__" in node:
            return float(node["__float__"])
        for kind, cls in (("__odict__", OrderedDict), ("__dict__", dict)):
            if kind in node:
                return cls((self.decode(k), self.decode(v)) for k, v in node[kind])
        raise _corrupt(self.what, f"unknown structure record {sorted(node)}")

    def tensor(self, ref: dict) -> Tensor:
        name = ref["__tensor__"]
        if not isinstance(name, str) or name not in self.arrays:
            raise _corrupt(self.what, f"the structure names a tensor {name!r} that the file does not hold")
        dev = _device(ref.get("device", "cpu"), self.map_location, self.what)
        if (name, dev) not in self._placed:             # each entry goes to a device once, so views
            a = self.arrays[name]                       # of it share memory there
            self._placed[name, dev] = a if dev.type == "cpu" else backend.transfer(a, dev)
        a = self._placed[name, dev]
        if "view" in ref:
            a = _view(a, ref["view"], name, self.what)
        t = _wrap(a, dev)
        if ref.get("parameter"):
            return Parameter(t, requires_grad=ref.get("requires_grad", False))
        return t.requires_grad_(True) if ref.get("requires_grad") else t


def _view(entry, view, name: str, what: str):
    """The part of an entry that a record's ``[offset, shape, strides]`` (in elements) names,
    sharing its memory; refused unless every element it reaches lies inside the entry."""
    if not (isinstance(view, list) and len(view) == 3 and type(view[0]) is int and view[0] >= 0
            and _naturals(view[1]) is not None and isinstance(view[2], list) and len(view[2]) == len(view[1])
            and all(type(s) is int for s in view[2])):
        raise _corrupt(what, f"the view record {view!r} of tensor {name!r} is malformed")
    offset, shape, strides = view
    flat = entry.reshape(-1)
    low, high = (offset + sum((n - 1) * s for n, s in zip(shape, strides) if (s < 0) == neg)
                 for neg in (True, False))
    if 0 not in shape and not 0 <= low <= high < flat.size or offset > flat.size:
        raise _corrupt(what, f"the view {view!r} reaches outside the {flat.size} elements of tensor {name!r}")
    item = flat.itemsize
    return _xp(flat).lib.stride_tricks.as_strided(flat[offset:], shape, [s * item for s in strides])


def _device(dev, map_location, what: str):
    """Where a tensor saved on ``dev`` goes: there, or where ``map_location`` sends it."""
    if isinstance(map_location, dict):
        dev = map_location.get(dev, dev)
    elif map_location is not None:
        dev = map_location
    try:
        known = backend.device(dev)
    except (RuntimeError, TypeError):
        raise RuntimeError(f"ndgrad.load: {what} holds a tensor saved on device {dev!r}, which ndgrad does "
                           "not know (it has 'cpu' and 'cuda'); load it with map_location='cpu', or a dict "
                           f"such as {{{dev!r}: 'cpu'}}") from None
    if known.type == "cuda" and not backend.cuda_available():
        raise RuntimeError("Attempting to deserialize object on a CUDA device but "
                           "ndgrad.cuda.is_available() is False. If you are running on a CPU-only "
                           "machine, please use ndgrad.load with map_location='cpu' to map your "
                           "storages to the CPU.")
    return backend.canonical(known)
