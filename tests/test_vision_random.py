"""ndgrad.vision.transforms' random transforms make torchvision's decisions for the same seed.

torchvision's own Python transforms (``torchvision.transforms``, run on real PyTorch) are the
oracle: after the same ``manual_seed`` each side draws the same flip decisions, angles, shifts,
scales and shears, in the same order, and leaves its generator at the same place (the next
``rand(3)`` agrees). Where both libraries render the image with the same code path — flips, and
rotations and affine maps of PIL images with nearest interpolation — the images agree pixel for
pixel too. On tensors torchvision resamples through ``grid_sample`` and ndgrad through its own
nearest-pixel rule; on the images here the two agree pixel for pixel as well (an output pixel whose
source point falls exactly on a pixel edge could round either way, and none here does).
"""
import importlib.util
import sys
import types

import numpy as np
import pytest
import torch
from PIL import Image

import ndgrad
from ndgrad.vision import transforms as T

SEEDS = [0, 1, 7, 42, 2024]


def _load_torchvision_transforms():
    """``torchvision.transforms``, or a skip where torchvision is not installed.

    A torchvision wheel built for another torch fails in its package ``__init__`` while registering
    its compiled ops (``_meta_registrations``: "operator torchvision::nms does not exist"). The
    transforms need none of them, so then the package is stood in for by an empty module with the
    real ``__path__``, and only the pure-Python submodules are imported from it."""
    spec = importlib.util.find_spec("torchvision")
    if spec is None:
        pytest.skip("torchvision is not installed", allow_module_level=True)
    try:
        import torchvision.transforms as tvt
    except (RuntimeError, ImportError, OSError):
        for name in [m for m in sys.modules if m == "torchvision" or m.startswith("torchvision.")]:
            del sys.modules[name]
        package = types.ModuleType("torchvision")
        package.__path__ = list(spec.submodule_search_locations)
        package.__spec__ = spec
        sys.modules["torchvision"] = package
        import torchvision.transforms as tvt
    return tvt


TV = _load_torchvision_transforms()


def _seed(seed):
    ndgrad.manual_seed(seed)
    torch.manual_seed(seed)


def _assert_same_place():
    """Both generators are where the other is: their next draws agree."""
    assert ndgrad.rand(3).tolist() == torch.rand(3).tolist()


def _image(seed, shape=(12, 10)):
    return np.random.default_rng(seed).integers(1, 256, shape, dtype=np.uint8)


# ---- RandomHorizontalFlip ----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [0.5, 0.3, 0.9])
def test_flip_decisions_over_50_calls_match_torchvision(seed, p):
    arr = _image(seed)[None]
    mine, theirs = T.RandomHorizontalFlip(p), TV.RandomHorizontalFlip(p)
    x, y = ndgrad.from_numpy(arr.copy()), torch.from_numpy(arr.copy())
    _seed(seed)
    outs = [(mine(x).numpy(), theirs(y).numpy()) for _ in range(50)]
    for got, want in outs:
        assert np.array_equal(got, want)
    decisions = [not np.array_equal(got, arr) for got, _ in outs]
    assert any(decisions) and not all(decisions)
    _assert_same_place()


@pytest.mark.parametrize("seed", SEEDS)
def test_flip_of_pil_images_matches_torchvision(seed):
    mine, theirs = T.RandomHorizontalFlip(), TV.RandomHorizontalFlip()
    images = [Image.fromarray(_image(seed + i, (5, 7, 3))) for i in range(20)]
    _seed(seed)
    for img in images:
        assert np.array_equal(np.array(mine(img)), np.array(theirs(img)))
    _assert_same_place()


def test_flip_probability_is_compared_in_float32_as_torch_does(monkeypatch):
    # the sample u = float32(0.7) (a possible draw: a multiple of 2⁻²⁴) lies just below 0.7, so a
    # float64 comparison would flip; torch compares in float32, where u < float32(0.7) is false
    u = float(np.float32(0.7))
    assert u < 0.7 and not torch.tensor([u]) < 0.7
    monkeypatch.setattr(T, "rand", lambda *size: ndgrad.tensor([u]))
    img = ndgrad.arange(4).reshape(1, 1, 4)
    assert T.RandomHorizontalFlip(0.7)(img) is img
    assert T.RandomHorizontalFlip(0.71)(img).tolist() == [[[3, 2, 1, 0]]]


# ---- RandomRotation ----------------------------------------------------------------------------------------
ROTATIONS = [30, 0.5, (-10, 45), (0, 360), [90, 90], (-180.0, -170.0)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("degrees", ROTATIONS, ids=str)
def test_rotation_angles_match_torchvision(seed, degrees):
    mine, theirs = T.RandomRotation(degrees), TV.RandomRotation(degrees)
    assert mine.degrees == theirs.degrees
    _seed(seed)
    for _ in range(10):
        got, want = mine.get_params(mine.degrees), theirs.get_params(theirs.degrees)
        assert type(got) is float and got == want
    _assert_same_place()


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("options", [{}, {"fill": 7}, {"expand": True}, {"center": (2, 3), "fill": 200}],
                         ids=["plain", "fill", "expand", "center"])
def test_rotated_pil_images_match_torchvision(seed, options):
    mine, theirs = T.RandomRotation(40, **options), TV.RandomRotation(40, **options)
    images = [Image.fromarray(_image(seed + i)) for i in range(5)]
    _seed(seed)
    for img in images:
        assert np.array_equal(np.array(mine(img)), np.array(theirs(img)))
    _assert_same_place()


@pytest.mark.parametrize("seed", SEEDS)
def test_rotated_tensors_match_torchvision(seed):
    arr = _image(seed)[None]
    mine, theirs = T.RandomRotation(25, fill=5), TV.RandomRotation(25, fill=5)
    _seed(seed)
    for _ in range(5):
        assert np.array_equal(mine(ndgrad.from_numpy(arr.copy())).numpy(),
                              theirs(torch.from_numpy(arr.copy())).numpy())
    _assert_same_place()


# ---- RandomAffine ------------------------------------------------------------------------------------------
AFFINES = [
    {"degrees": 0},
    {"degrees": 30},
    {"degrees": (-5, 20), "translate": (0.1, 0.3)},
    {"degrees": 0, "translate": (0.0, 0.5)},
    {"degrees": 10, "scale": (0.8, 1.2)},
    {"degrees": 0, "shear": 15},
    {"degrees": 0, "shear": (-4, 9)},
    {"degrees": 0, "shear": [-10, 10, -5, 5]},
    {"degrees": 25, "translate": (0.2, 0.1), "scale": (0.5, 1.5), "shear": (-10, 10, -20, 0)},
]
SIZES = [[28, 28], [10, 12], [33, 7]]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("options", AFFINES, ids=str)
def test_affine_params_match_torchvision(seed, options):
    mine, theirs = T.RandomAffine(**options), TV.RandomAffine(**options)
    assert (mine.degrees, mine.shear) == (theirs.degrees, theirs.shear)
    _seed(seed)
    for size in SIZES * 3:
        got = mine.get_params(mine.degrees, mine.translate, mine.scale, mine.shear, size)
        want = theirs.get_params(theirs.degrees, theirs.translate, theirs.scale, theirs.shear, size)
        assert got == want
        assert [type(v) for v in (got[0], *got[1], got[2], *got[3])] == [float, int, int, float, float, float]
    _assert_same_place()


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("options", [AFFINES[-1], {"degrees": 90, "fill": 9},
                                     {"degrees": 20, "center": (1, 4)}],
                         ids=["all", "fill", "center"])
def test_affine_pil_images_match_torchvision(seed, options):
    mine, theirs = T.RandomAffine(**options), TV.RandomAffine(**options)
    images = [Image.fromarray(_image(seed + i, (20, 16))) for i in range(5)]
    _seed(seed)
    for img in images:
        assert np.array_equal(np.array(mine(img)), np.array(theirs(img)))
    _assert_same_place()


@pytest.mark.parametrize("seed", SEEDS)
def test_affine_tensors_match_torchvision(seed):
    arr = _image(seed, (20, 16))[None]
    mine, theirs = T.RandomAffine(**AFFINES[-1]), TV.RandomAffine(**AFFINES[-1])
    _seed(seed)
    for _ in range(5):
        assert np.array_equal(mine(ndgrad.from_numpy(arr.copy())).numpy(),
                              theirs(torch.from_numpy(arr.copy())).numpy())
    _assert_same_place()


# ---- pipelines ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_an_augmented_epoch_matches_torchvision(seed):
    """A training pipeline as the tutorials write it: every image, every draw, in order."""
    def pipeline(lib):
        return lib.Compose([lib.RandomHorizontalFlip(), lib.RandomRotation(15),
                            lib.RandomAffine(0, translate=(0.1, 0.1), scale=(0.9, 1.1)), lib.ToTensor()])
    mine, theirs = pipeline(T), pipeline(TV)
    images = [Image.fromarray(_image(seed + i, (28, 28))) for i in range(16)]
    _seed(seed)
    for img in images:
        assert np.array_equal(mine(img).numpy(), theirs(img).numpy())
    _assert_same_place()
