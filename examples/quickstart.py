"""ndgrad quickstart: tensors, autograd, and gradient descent by hand.

Run:  python examples/quickstart.py
Swap the import for ``import torch`` and it prints the same (module names aside).
"""
import ndgrad as torch

# 1. Tensors: created from data, printed the way PyTorch prints them.
print("1. tensors")
print(torch.tensor(10))
print(torch.tensor([[1, 2], [3, 4]]))
print(torch.tensor([[10.0, 20, 30], [20, 30, 40]]))
print(torch.zeros(2, 3), torch.arange(0, 10, 2), torch.linspace(0, 1, 5), sep="\n")
a = torch.tensor([1, 2, 3])
print("a + 10 =", a + 10, " a * a =", a * a, " a / 2 =", a / 2)
m = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
print("m @ m.T =", m @ m.T, sep="\n")
print("shape:", m.shape, " dtype:", m.dtype)

# 2. Autograd: y = x² + 3x + 2 at x = 2, so dy/dx = 2x + 3 = 7.
print("\n2. autograd")
x = torch.tensor(2.0, requires_grad=True)
y = x ** 2 + 3 * x + 2
print("y =", y)
y.backward()
print(f"x = {x.item()}, y = {y.item()}, dy/dx = {x.grad.item()}")

# 3. Gradient descent by hand: fit y = w·x + b to points on the line y = 2x + 1.
print("\n3. fitting a line by gradient descent")
torch.manual_seed(0)
xs = torch.linspace(-1, 1, 50)
ys = 2 * xs + 1 + 0.05 * torch.randn(50)
w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.5
for step in range(101):
    loss = ((w * xs + b - ys) ** 2).mean()
    loss.backward()
    with torch.no_grad():          # the update itself is not part of the graph
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    if step % 20 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}  w {w.item():.3f}  b {b.item():.3f}")
print(f"fitted: y = {w.item():.2f}x + {b.item():.2f}  (true: y = 2x + 1)")
