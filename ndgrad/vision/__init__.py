"""``ndgrad.vision``: the part of torchvision the tutorials use — MNIST and FashionMNIST
(``datasets``) and the image transforms (``transforms``). Images are PIL images, as in
torchvision (Pillow is needed here, and only here)."""
from . import datasets, transforms

__all__ = ["datasets", "transforms"]
