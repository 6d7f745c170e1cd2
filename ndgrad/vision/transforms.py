"""Image transforms, as torchvision names them: Compose, ToTensor, Normalize, Lambda,
RandomHorizontalFlip, RandomRotation, RandomAffine.

They take PIL images (what the datasets return) and, except ToTensor, tensors of shape
(..., C, H, W) too. Random draws come from ndgrad's default generator, one ``rand(1)`` or
``empty(1).uniform_(lo, hi)`` per decision in torchvision's order, so that after the same
``manual_seed`` an augmented epoch flips, turns, shifts, scales and shears each image exactly as
torchvision would.
"""
from __future__ import annotations

import enum
import math
import numbers

from .. import backend, dtypes
from ..ops.creation import empty, from_numpy, tensor
from ..ops.random import rand
from ..tensor import Tensor, _wrap

# Pillow is optional (``pip install "ndgrad[vision]"``): the PIL branches import it where they run,
# so importing ndgrad, or transforming tensors, works without it.

__all__ = ["Compose", "ToTensor", "Normalize", "Lambda", "RandomHorizontalFlip", "RandomRotation",
           "RandomAffine", "InterpolationMode"]


class InterpolationMode(enum.Enum):
    NEAREST = "nearest"
    BILINEAR = "bilinear"


def _is_pil(img) -> bool:
    return type(img).__module__.startswith("PIL.")


def _pil_resample(interpolation: "InterpolationMode"):
    from PIL import Image
    return (Image.Resampling.NEAREST if interpolation is InterpolationMode.NEAREST
            else Image.Resampling.BILINEAR)


def _uniform(low: float, high: float) -> float:
    """One number from U[low, high), drawn as torchvision draws it: a one-element tensor of the
    default dtype filled by ``uniform_``, so float32 arithmetic and one sample of the stream."""
    return float(empty(1).uniform_(float(low), float(high)).item())


class Compose:
    """Apply ``transforms`` one after the other."""

    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        return "Compose(\n" + "".join(f"    {t}\n" for t in self.transforms) + ")"


class ToTensor:
    """A PIL image or an (H, W[, C]) NumPy array → a (C, H, W) tensor; uint8 values are scaled to
    float32 in [0, 1], other types keep their values."""

    def __call__(self, pic) -> Tensor:
        if _is_pil(pic):
            arr = backend.host_array(pic)
        elif backend.is_host_array(pic):
            if pic.ndim not in (2, 3):
                raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
            arr = pic
        else:
            raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
        arr = arr[:, :, None] if arr.ndim == 2 else arr
        out = from_numpy(arr).permute(2, 0, 1).contiguous()
        return out.to(dtypes.get_default_dtype()).div(255) if out.dtype is dtypes.uint8 else out

    def __repr__(self) -> str:
        return "ToTensor()"


class Normalize:
    """(x − mean[c]) / std[c] for each channel c of a (..., C, H, W) float tensor."""

    def __init__(self, mean, std, inplace: bool = False):
        self.mean, self.std, self.inplace = mean, std, inplace

    def __call__(self, t: Tensor) -> Tensor:
        if not isinstance(t, Tensor):
            raise TypeError(f"Input tensor should be a torch tensor. Got {type(t)}.")
        if not t.is_floating_point():
            raise TypeError(f"Input tensor should be a float tensor. Got {t.dtype}.")
        if t.ndim < 3:
            raise ValueError(f"Expected tensor to be a tensor image of size (..., C, H, W). "
                             f"Got tensor.size() = {t.shape}")
        mean = tensor(self.mean, dtype=t.dtype, device=t.device)
        std = tensor(self.std, dtype=t.dtype, device=t.device)
        if (std == 0).any():
            raise ValueError(f"std evaluated to zero after conversion to {t.dtype}, "
                             "leading to division by zero.")
        mean, std = mean.reshape(-1, 1, 1), std.reshape(-1, 1, 1)
        return t.sub_(mean).div_(std) if self.inplace else (t - mean) / std

    def __repr__(self) -> str:
        return f"Normalize(mean={self.mean}, std={self.std})"


class Lambda:
    """Apply a user function."""

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {repr(type(lambd).__name__)}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self) -> str:
        return "Lambda()"


def _hflip(img):
    if _is_pil(img):
        from PIL import Image
        return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return img.flip(-1)


class RandomHorizontalFlip:
    """Mirror left–right with probability p."""

    def __init__(self, p: float = 0.5):
        self.p = p

    def __call__(self, img):
        # a tensor comparison, as torchvision's: p meets the sample in the sample's dtype
        if rand(1) < self.p:
            return _hflip(img)
        return img

    def __repr__(self) -> str:
        return f"RandomHorizontalFlip(p={self.p})"


def _range(value, name: str, center: float = 0.0) -> list:
    """A number d as [center − d, center + d], or a given [lo, hi] as floats."""
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f"If {name} is a single number, it must be positive.")
        return [float(center - value), float(center + value)]
    if len(value) != 2:
        raise ValueError(f"If {name} is a sequence, it must be of len 2.")
    return [float(v) for v in value]


def inverse_affine_matrix(center, angle: float, translate, scale: float, shear) -> list:
    """The 2×3 matrix taking an output pixel's (x, y) back to the input point it shows, for a
    rotation by ``angle`` degrees clockwise, a scale, a shear (degrees, x and y) and a translation,
    all about ``center``: the inverse of  T · C · R·S·Sh · C⁻¹.

    R·Sh has determinant 1, so its inverse is its adjugate; dividing by the scale undoes S."""
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    (cx, cy), (tx, ty) = center, translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [d / scale, -b / scale, 0.0, -c / scale, a / scale, 0.0]
    # move the centre (and the translation) to the origin first, and the centre back last
    m[2] = m[0] * (-cx - tx) + m[1] * (-cy - ty) + cx
    m[5] = m[3] * (-cx - tx) + m[4] * (-cy - ty) + cy
    return m


def affine(img, matrix: list, interpolation: InterpolationMode, fill):
    """Each output pixel takes the input pixel under ``matrix`` applied to its centre, or ``fill``
    where that lies outside: PIL's transform for PIL images, the same rule on tensors."""
    if _is_pil(img):
        from PIL import Image
        return img.transform(img.size, Image.Transform.AFFINE, matrix, _pil_resample(interpolation),
                             fillcolor=fill)
    if interpolation is not InterpolationMode.NEAREST:
        raise NotImplementedError("ndgrad.vision: tensors are transformed with NEAREST interpolation only")
    xp, a = img._xp, img._data
    h, w = a.shape[-2:]
    y, x = xp.meshgrid(xp.arange(h) + 0.5, xp.arange(w) + 0.5, indexing="ij")
    u = xp.floor(matrix[0] * x + matrix[1] * y + matrix[2]).astype("int64")
    v = xp.floor(matrix[3] * x + matrix[4] * y + matrix[5]).astype("int64")
    inside = (u >= 0) & (u < w) & (v >= 0) & (v < h)
    out = a[..., v.clip(0, h - 1), u.clip(0, w - 1)]
    out = xp.where(inside, out, xp.asarray(fill if fill is not None else 0, dtype=a.dtype))
    return _wrap(out, img.device)


class RandomAffine:
    """A random rotation (degrees, clockwise), translation (fractions of the width and height),
    scale and shear (degrees) about the image centre, drawn afresh for each image."""

    def __init__(self, degrees, translate=None, scale=None, shear=None,
                 interpolation: InterpolationMode = InterpolationMode.NEAREST, fill=0, center=None):
        self.degrees = _range(degrees, "degrees")
        if translate is not None and not all(0.0 <= t <= 1.0 for t in translate):
            raise ValueError("translation values should be between 0 and 1")
        if scale is not None and any(s <= 0 for s in scale):
            raise ValueError("scale values should be positive")
        self.translate, self.scale = translate, scale
        self.shear = None if shear is None else (_range(shear, "shear") if isinstance(shear, numbers.Number)
                                                 or len(shear) == 2 else [float(s) for s in shear])
        self.interpolation, self.fill, self.center = interpolation, fill, center

    @staticmethod
    def get_params(degrees, translate, scale_ranges, shears, img_size) -> tuple:
        """(angle, (tx, ty), scale, (shear_x, shear_y)) for an image of ``img_size`` = [width, height].

        One uniform draw each, in torchvision's order — angle, tx, ty, scale, shear x, shear y — and
        only for the ranges given, so the generator moves as far as torchvision's does. A shift is
        rounded half to even, Python's ``round``."""
        angle = _uniform(degrees[0], degrees[1])
        tx = ty = 0
        if translate is not None:
            max_dx, max_dy = translate[0] * img_size[0], translate[1] * img_size[1]
            tx = round(_uniform(-max_dx, max_dx))
            ty = round(_uniform(-max_dy, max_dy))
        scale = _uniform(scale_ranges[0], scale_ranges[1]) if scale_ranges is not None else 1.0
        shear_x = shear_y = 0.0
        if shears is not None:
            shear_x = _uniform(shears[0], shears[1])
            if len(shears) == 4:
                shear_y = _uniform(shears[2], shears[3])
        return angle, (tx, ty), scale, (shear_x, shear_y)

    def __call__(self, img):
        w, h = img.size if _is_pil(img) else (img.shape[-1], img.shape[-2])
        angle, translate, scale, shear = self.get_params(self.degrees, self.translate, self.scale, self.shear,
                                                         [w, h])
        center = self.center if self.center is not None else (w * 0.5, h * 0.5)
        return affine(img, inverse_affine_matrix(center, angle, translate, scale, shear), self.interpolation,
                      self.fill)

    def __repr__(self) -> str:
        s = f"RandomAffine(degrees={self.degrees}"
        for name in ("translate", "scale", "shear"):
            if getattr(self, name) is not None:
                s += f", {name}={getattr(self, name)}"
        if self.interpolation is not InterpolationMode.NEAREST:
            s += f", interpolation={self.interpolation.value}"
        if self.fill != 0:
            s += f", fill={self.fill}"
        if self.center is not None:
            s += f", center={self.center}"
        return s + ")"


class RandomRotation:
    """Rotate by a random angle in ``degrees`` (a number d means [−d, d]), counter-clockwise
    about the centre; corners left empty take ``fill``."""

    def __init__(self, degrees, interpolation: InterpolationMode = InterpolationMode.NEAREST,
                 expand: bool = False, center=None, fill=0):
        self.degrees = _range(degrees, "degrees")
        self.interpolation, self.expand, self.center, self.fill = interpolation, expand, center, fill

    @staticmethod
    def get_params(degrees) -> float:
        """The angle, one uniform draw from [degrees[0], degrees[1])."""
        return _uniform(degrees[0], degrees[1])

    def __call__(self, img):
        angle = self.get_params(self.degrees)
        if _is_pil(img):
            return img.rotate(angle, _pil_resample(self.interpolation), self.expand, self.center,
                              fillcolor=self.fill)
        if self.expand:
            raise NotImplementedError("ndgrad.vision: RandomRotation(expand=True) needs a PIL image")
        w, h = img.shape[-1], img.shape[-2]
        center = self.center if self.center is not None else (w * 0.5, h * 0.5)
        # counter-clockwise here is the affine map's clockwise angle negated
        return affine(img, inverse_affine_matrix(center, -angle, (0, 0), 1.0, (0.0, 0.0)), self.interpolation,
                      self.fill)

    def __repr__(self) -> str:
        return (f"RandomRotation(degrees={self.degrees}, interpolation={self.interpolation.value}, "
                f"expand={self.expand}, fill={self.fill})")
