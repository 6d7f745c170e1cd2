# Seed 004 section 3 verbatim (the PDF's line numbers removed).
import torch

# 创建需要梯度的张量
x = torch.tensor(2.0, requires_grad=True)

# 前向计算
y = x ** 2

# 反向传播
y.backward()

# 查看梯度
print(f"x = {x.item()}")
print(f"y = {y.item()}")
print(f"dy/dx = {x.grad.item()}") # 应该是 2*x = 4.0
# 链式法则示例: z = (x + y)^2
x = torch.tensor(1.0, requires_grad=True)
y = torch.tensor(2.0, requires_grad=True)

# 中间变量
u = x + y          # u = 3.0
z = u ** 2         # z = 9.0

# 反向传播
z.backward()

# 手动验证链式法则:
# dz/dx = dz/du * du/dx = 2u * 1 = 2*3 = 6.0
# dz/dy = dz/du * du/dy = 2u * 1 = 2*3 = 6.0

print(f"dz/dx = {x.grad.item()}") # 应该是 6.0
print(f"dz/dy = {y.grad.item()}") # 应该是 6.0


# 动态控制流示例
x = torch.tensor(1.0, requires_grad=True)

# 根据条件选择不同的计算路径
if x > 0:
    y = x ** 2
else:
    y = x ** 3

y.backward()
print(f"x = {x.item()}, y = {y.item()}, dy/dx = {x.grad.item()}")

