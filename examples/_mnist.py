"""The training loop shared by mnist_mlp.py and mnist_cnn.py (seed 002 §6.2 and seed 004 §6):
flags, data, train with a progress bar, test, curves."""
import argparse
import os
import time

import matplotlib

matplotlib.use("Agg")                      # files only: no window needed
import matplotlib.pyplot as plt  # noqa: E402
from tqdm import tqdm  # noqa: E402

import ndgrad as torch  # noqa: E402
import ndgrad.nn as nn  # noqa: E402
from ndgrad.utils.data import DataLoader  # noqa: E402
from ndgrad.vision import datasets, transforms  # noqa: E402


def parse_args(description: str, epochs: int, lr: float):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=lr)
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--data", default=datasets.BUNDLED_ROOT,
                        help="a root with MNIST/raw in it (default: the 5,000-image subset shipped with "
                             "ndgrad)")
    parser.add_argument("--download", action="store_true", help="download the full MNIST into --data first")
    parser.add_argument("--out", default=".", help="where the PNG curves go")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def loaders(root: str, batch_size: int, download: bool):
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train_data = datasets.MNIST(root, train=True, download=download, transform=transform)
    test_data = datasets.MNIST(root, train=False, transform=transform)
    return (DataLoader(train_data, batch_size=batch_size, shuffle=True),
            DataLoader(test_data, batch_size=1000))


def evaluate(model, device, loader) -> float:
    model.eval()
    correct = 0
    with torch.no_grad():
        for data, target in loader:
            output = model(data.to(device))
            correct += output.argmax(dim=1).eq(target.to(device)).sum().item()
    return correct / len(loader.dataset)


def run(model_class, name: str, args) -> float:
    """Build ``model_class()`` (after seeding, so that its initial weights repeat), train it with
    Adam and cross-entropy, print each epoch's test accuracy, save the loss and accuracy curves
    as ``<name>_curves.png``; returns the last accuracy."""
    torch.manual_seed(args.seed)
    model = model_class()
    print(model)
    device = torch.device(args.device)
    train_loader, test_loader = loaders(args.data, args.batch_size, args.download)
    model = model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    criterion = nn.CrossEntropyLoss()
    losses, accuracies = [], []
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        model.train()
        bar = tqdm(train_loader, desc=f"epoch {epoch}/{args.epochs}", leave=False)
        for data, target in bar:
            data, target = data.to(device), target.to(device)
            optimizer.zero_grad()
            loss = criterion(model(data), target)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            bar.set_postfix(loss=f"{losses[-1]:.4f}")
        accuracies.append(evaluate(model, device, test_loader))
        print(f"epoch {epoch}: loss {sum(losses[-len(train_loader):]) / len(train_loader):.4f}, "
              f"test accuracy: {accuracies[-1]:.4f}")
    print(f"{args.epochs} epochs in {time.perf_counter() - start:.1f} s on {device}")
    _plot(losses, accuracies, len(train_loader), os.path.join(args.out, f"{name}_curves.png"))
    return accuracies[-1]


def _plot(losses, accuracies, steps_per_epoch, path):
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot([i / steps_per_epoch for i in range(len(losses))], losses, linewidth=0.8)
    left.set(title="training loss", xlabel="epoch", ylabel="cross-entropy")
    right.plot(range(1, len(accuracies) + 1), accuracies, marker="o")
    right.set(title="test accuracy", xlabel="epoch", ylabel="accuracy")
    for ax in (left, right):
        ax.grid(True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    print(f"curves saved to {path}")
