"""MNIST with the seeds' CNN (seed 004 §4.3): (Conv-ReLU-MaxPool) ×2 then Linear, Adam.

Run: python examples/mnist_cnn.py [--epochs 3 --batch-size 64 --lr 0.001 --device cpu --data DIR]
The shapes follow the seed's walk-through: (N, 1, 28, 28) → conv (N, 32, 28, 28) → pool
(N, 32, 14, 14) → conv (N, 64, 14, 14) → pool (N, 64, 7, 7) → flatten (N, 3136) → (N, 10).
"""
import ndgrad.nn as nn
from _mnist import parse_args, run


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(64 * 7 * 7, 10)

    def forward(self, x):
        x = self.pool(self.relu(self.conv1(x)))   # (N, 32, 14, 14)
        x = self.pool(self.relu(self.conv2(x)))   # (N, 64, 7, 7)
        x = x.view(x.size(0), -1)                  # (N, 3136)
        return self.fc(x)


if __name__ == "__main__":
    args = parse_args(__doc__.split("\n")[0], epochs=3, lr=0.001)
    run(SimpleCNN, "mnist_cnn", args)
