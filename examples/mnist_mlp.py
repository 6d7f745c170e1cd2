"""MNIST with the seeds' MLP (seed 002 §6.2): 784-512-256-10 with ReLU and dropout, Adam.

Run: python examples/mnist_mlp.py [--epochs 10 --batch-size 64 --lr 0.001 --device cpu --data DIR]
With no flags it trains offline on the MNIST subset shipped with ndgrad (4,000 training and
1,000 test images) and prints each epoch's test accuracy; the curves go to mnist_mlp_curves.png.
"""
import ndgrad.nn as nn
from _mnist import parse_args, run


class MLPClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(28 * 28, 512)
        self.fc2 = nn.Linear(512, 256)
        self.fc3 = nn.Linear(256, 10)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(0.2)

    def forward(self, x):
        x = x.view(-1, 28 * 28)  # 展平 (flatten)
        x = self.relu(self.fc1(x))
        x = self.dropout(x)
        x = self.relu(self.fc2(x))
        return self.fc3(x)


if __name__ == "__main__":
    args = parse_args(__doc__.split("\n")[0], epochs=10, lr=0.001)
    run(MLPClassifier, "mnist_mlp", args)
