"""Linear regression, as in the seed tutorials: TensorDataset, DataLoader, nn.Linear, MSELoss, SGD.

Fits y = 3x + 2 + noise, prints the loss every 10 epochs, saves the loss curve and the fitted
line as PNG files (``--out``, default: the current directory).
Run: python examples/linear_regression.py [--epochs 100] [--out DIR]
"""
import argparse
import os

import matplotlib

matplotlib.use("Agg")                         # write files; no window needed
import matplotlib.pyplot as plt

import ndgrad as torch
import ndgrad.nn as nn
from ndgrad.utils.data import DataLoader, TensorDataset


def main(epochs: int = 100, out: str = "."):
    torch.manual_seed(0)
    X = torch.linspace(0, 10, 100).reshape(-1, 1)
    y = 3 * X + 2 + torch.randn(100, 1) * 2
    loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)

    model = nn.Linear(1, 1)
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    loss_history = []
    for epoch in range(epochs):
        epoch_loss = 0.0
        for inputs, targets in loader:
            loss = criterion(model(inputs), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item()
        loss_history.append(epoch_loss / len(loader))
        if (epoch + 1) % 10 == 0:
            print(f"Epoch [{epoch + 1}/{epochs}], Loss: {loss_history[-1]:.4f}")
    w, b = model.weight.item(), model.bias.item()
    print(f"fitted: y = {w:.3f}x + {b:.3f}  (true: y = 3x + 2)")

    os.makedirs(out, exist_ok=True)
    plt.figure()
    plt.plot(loss_history)
    plt.title("training loss")
    plt.xlabel("epoch")
    plt.ylabel("MSE loss")
    plt.grid(True)
    plt.savefig(os.path.join(out, "linear_regression_loss.png"))
    plt.figure()
    plt.scatter(X.numpy(), y.numpy(), s=10, label="data")
    with torch.no_grad():
        plt.plot(X.numpy(), model(X).numpy(), "r-", lw=3, label="fitted line")
    plt.legend()
    plt.savefig(os.path.join(out, "linear_regression_fit.png"))
    return w, b


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--out", default=".")
    args = parser.parse_args()
    main(args.epochs, args.out)
