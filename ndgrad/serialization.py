"""``ndgrad.save`` / ``ndgrad.load`` without pickle.

A file is a safetensors file: 8 bytes (little-endian header length), a JSON header naming
every tensor's dtype, shape and byte range, then the raw bytes. The saved object's structure
(dicts, lists, tuples, numbers, strings, where each tensor sits) is JSON in the header's
``__metadata__``. Loading therefore never runs code from the file, and a flat state_dict is
an ordinary safetensors file that ``safetensors.torch.load_file`` reads, tensor names = keys.

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
_FORMAT = "ndgrad/1"
_MAX_HEADER = 100_000_000                  # safetensors' MAX_HEADER_SIZE


class _Writer:
    """Walks the object: collects tensors (named by their path) and returns the JSON structure."""

    def __init__(self):
        self.tensors: dict[str, Tensor] = {}

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
        name = path or "tensor"
        while name in self.tensors:
            name += "_"
        self.tensors[name] = t
        ref = {"__tensor__": name, "device": str(t.device)}
        if t.requires_grad:
            ref["requires_grad"] = True
        if type(t) is Parameter:
            ref["parameter"] = True
        return ref


def _join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def _to_bytes(obj) -> bytes:
    writer = _Writer()
    structure = writer.encode(obj, "")
    header, chunks, offset = {}, [], 0
    for name, t in writer.tensors.items():
        dtype_name, shape, raw = backend.to_little_endian_bytes(t.detach()._data)
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
    if meta.get("format") != _FORMAT:                  # a plain safetensors file
        return OrderedDict((k, _place(_wrap(a), {"device": "cpu"}, map_location)) for k, a in arrays.items())
    try:
        structure = json.loads(meta["structure"])
        return _decode(structure, arrays, map_location, what)
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


def _place(t: Tensor, ref: dict, map_location) -> Tensor:
    dev = ref.get("device", "cpu")
    if isinstance(map_location, dict):
        dev = map_location.get(dev, dev)
    elif map_location is not None:
        dev = str(backend.canonical(map_location))
    if dev != "cpu":
        if not backend.cuda_available():
            raise RuntimeError("Attempting to deserialize object on a CUDA device but "
                               "ndgrad.cuda.is_available() is False. If you are running on a CPU-only "
                               "machine, please use ndgrad.load with map_location='cpu' to map your "
                               "storages to the CPU.")
        t = t.to(dev)
    return t


#: the dtypes a structure record may name: an explicit list, so a file can only ever produce a dtype
_DTYPES = {d.name: d for d in (dtypes.bool, dtypes.uint8, dtypes.int8, dtypes.int16, dtypes.int32,
                               dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64)}


def _decode(node, arrays: dict, map_location, what: str):
    if isinstance(node, list):
        return [_decode(v, arrays, map_location, what) for v in node]
    if not isinstance(node, dict):
        return node
    if "__tensor__" in node:
        name = node["__tensor__"]
        if name not in arrays:
            raise _corrupt(what, f"the structure names a tensor {name!r} that the file does not hold")
        t = _place(_wrap(arrays[name]), node, map_location)
        if node.get("parameter"):
            return Parameter(t, requires_grad=node.get("requires_grad", False))
        return t.requires_grad_(True) if node.get("requires_grad") else t
    if "__tuple__" in node:
        return tuple(_decode(v, arrays, map_location, what) for v in node["__tuple__"])
    if "__size__" in node:
        sizes = node["__size__"]
        if not isinstance(sizes, list) or not all(type(s) is int for s in sizes):
            raise _corrupt(what, f"the structure record {node!r} is not a list of integers")
        return Size(sizes)
    if "__dtype__" in node:
        name = node["__dtype__"]
        if not isinstance(name, str) or name not in _DTYPES:      # never a lookup in a module by name
            raise _corrupt(what, f"the structure record {node!r} names no ndgrad dtype")
        return _DTYPES[name]
    if "__float__" in node:
        return float(node["__float__"])
    for kind, cls in (("__odict__", OrderedDict), ("__dict__", dict)):
        if kind in node:
            return cls((_decode(k, arrays, map_location, what), _decode(v, arrays, map_location, what))
                       for k, v in node[kind])
    raise _corrupt(what, f"unknown structure record {sorted(node)}")
