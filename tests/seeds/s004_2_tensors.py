# Seed 004 section 2 verbatim (the PDF's line numbers removed, its wrapped comment lines rejoined), its runnable blocks in order.
# Left out: the NumPy-only lines, the two lines that move a tensor to a GPU, and the
# image example that loads files ('digit.npy', 'digit.pt') the article does not provide.

import torch

# 创建张量
a = torch.tensor([1, 2, 3])       # 向量 [1, 2, 3]
b = torch.zeros(3, 3)             # 3x3 的零矩阵
c = torch.rand(2, 2)              # 2x2 的随机矩阵

# 运算
d = a + 1                         # 每个元素加1

e = torch.dot(a, a)                # 点积

# PyTorch 的超能力!
# PyTorch
a = torch.tensor([[1, 2], [3, 4]])
print(a.shape) # 输出: torch.Size([2, 2])
print(a.dim()) # 输出: 2
import torch

# 例子1：标量与向量相加
a = torch.tensor([1, 2, 3]) # 形状：(3,)
b = 10                       # 形状：标量
c = a + b                   # 广播：10 → [10, 10, 10]
print(c) # 输出：tensor([11, 12, 13])

# 例子2：向量与矩阵相加
matrix = torch.tensor([[1, 2, 3],
                       [4, 5, 6]]) # 形状：(2, 3)
vector = torch.tensor([10, 20, 30]) # 形状：(3,)
result = matrix + vector             # 广播：vector → [[10,20,30],[10,20,30]]
print(result)
# 输出：tensor([[11, 22, 33],
#              [14, 25, 36]])

# 例子3：不同形状的矩阵运算
A = torch.ones(3, 1, 4) # 形状：(3, 1, 4)
B = torch.ones(2, 4)    # 形状：(2, 4)
C = A + B               # 广播：A → (3, 2, 4), B → (3, 2, 4)
print(C.shape)          # 输出：torch.Size([3, 2, 4])
import torch

# 创建一个2x3x4的张量
original = torch.randn(2, 3, 4)
print(f"原始形状: {original.shape}") # torch.Size([2, 3, 4])

# 使用view改变形状 (不复制数据)
flattened = original.view(2, -1) # -1表示自动计算该维度大小
print(f"展平后: {flattened.shape}") # torch.Size([2, 12])

# 使用reshape改变形状
reshaped = original.reshape(6, 4)
print(f"重塑后: {reshaped.shape}") # torch.Size([6, 4])

# 交换维度
transposed = original.transpose(0, 1) # 交换第0维和第1维
print(f"转置后: {transposed.shape}") # torch.Size([3, 2, 4])

# 重新排列维度顺序
permuted = original.permute(2, 0, 1) # 新顺序: 原第2维→第0维, 原第0维→第1维, 原第1维→第2维
print(f"重排后: {permuted.shape}") # torch.Size([4, 2, 3])

# 添加和移除维度
tensor_1d = torch.tensor([1, 2, 3])
tensor_2d = tensor_1d.unsqueeze(0) # 在第0维添加维度
print(f"添加维度后: {tensor_2d.shape}") # torch.Size([1, 3])

tensor_1d_again = tensor_2d.squeeze(0) # 移除第0维
print(f"移除维度后: {tensor_1d_again.shape}") # torch.Size([3])
import torch

# 创建一个3x4的矩阵
matrix = torch.tensor([[1, 2, 3, 4],
                       [5, 6, 7, 8],
                       [9, 10, 11, 12]])
print(f"原始矩阵:\n{matrix}")

# 整数索引
first_row = matrix[0]           # 第0行
first_element = matrix[0, 0]    # 第0行第0列
print(f"第0行: {first_row}")    # tensor([1, 2, 3, 4])
print(f"第0行第0列: {first_element}") # tensor(1)

# 切片索引
first_two_rows = matrix[:2]     # 前2行
middle_columns = matrix[:, 1:3] # 所有行的第1-2列
print(f"前2行:\n{first_two_rows}")
print(f"中间列:\n{middle_columns}")

# 布尔索引
mask = matrix > 5               # 创建布尔掩码
selected = matrix[mask]         # 选择大于5的元素
print(f"大于5的元素: {selected}") # tensor([6, 7, 8, 9, 10, 11, 12])
# 高级索引
rows = torch.tensor([0, 2])      # 选择第0行和第2行
cols = torch.tensor([1, 3])      # 选择第1列和第3列
selected_elements = matrix[rows, cols]
print(f"选择的行列: {selected_elements}") # tensor([2, 12])

# 修改元素
matrix[0, 0] = 100                # 修改单个元素
matrix[1] = torch.tensor([50, 60, 70, 80]) # 修改整行
print(f"修改后的矩阵:\n{matrix}")

import torch
# 自动求导示例
x = torch.tensor(3.0, requires_grad=True)
y = x**2 + 2*x + 1
y.backward()
print(x.grad) # 自动计算导数: 2*x + 2 = 8.0
import torch

# 1. 创建需要梯度的张量
x = torch.tensor(2.0, requires_grad=True)

# 2. 计算函数值
y = x**2 + 3*x + 2

# 3. 自动求导
y.backward()

# 4. 查看结果
print(f"x = {x.item()}")
print(f"y = {y.item()}")
print(f"导数 dy/dx = {x.grad.item()}")

# 手动验证：导数应该是  $2*x + 3 = 2*2 + 3 = 7$ 
print(f"手动验证：  $2*x + 3 = {2*x.item() + 3}$ ")

