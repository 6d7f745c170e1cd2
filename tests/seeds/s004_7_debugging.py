# Seed 004 section 7: "error 3, shape mismatch" and the debugging example of 7.2 (verbatim, the PDF's
# line numbers removed). Error 3 names its tensors without creating them: the shapes from its
# comments are filled in, and the errors are caught so that their messages print.
import torch

# 错误 3：张量形状不匹配 — the shapes from the comments
tensor1 = torch.ones(3, 4)
tensor2 = torch.ones(3, 5)

# 检查张量形状
print(f"张量1形状: {tensor1.shape}")
print(f"张量2形状: {tensor2.shape}")

# 常见形状问题:
# - 矩阵乘法: A.shape = (3,4), B.shape = (4,5) 形状匹配!
# - 矩阵乘法: A.shape = (3,4), B.shape = (3,5) 形状不匹配!
A, B = torch.ones(3, 4), torch.ones(4, 5)
print((A @ B).shape)
for a, b in [(tensor1, tensor2), (torch.ones(2, 3), torch.ones(4, 3))]:
    try:
        a @ b
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        a + b                      # RuntimeError: The size of tensor a must match the size of tensor b
    except RuntimeError as e:
        print("RuntimeError:", e)

# 调试示例 (7.2)
# 创建张量
x = torch.randn(2, 3)
y = torch.randn(3, 4)

# 调试信息
print(f"x 形状: {x.shape}") # torch.Size([2, 3])
print(f"y 形状: {y.shape}") # torch.Size([3, 4])
print(f"x 设备: {x.device}") # cpu
print(f"x 数据类型: {x.dtype}") # torch.float32

# 矩阵乘法
z = torch.matmul(x, y)
print(f"z 形状: {z.shape}") # torch.Size([2, 4])
