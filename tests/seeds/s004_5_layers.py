# Seed 004 section 4.3: the table of common layers, each built as the table writes it, run on a
# batch and printed; then the CNN shape walk-through (形状变化规律) step by step.
import torch
import torch.nn as nn

layers = {
    "全连接层": (nn.Linear(784, 256), torch.randn(2, 784)),
    "卷积层": (nn.Conv2d(1, 32, 3), torch.randn(2, 1, 28, 28)),
    "池化层": (nn.MaxPool2d(2), torch.randn(2, 32, 26, 26)),
    "Dropout": (nn.Dropout(0.5), torch.randn(2, 256)),
    "批归一化": (nn.BatchNorm2d(32), torch.randn(2, 32, 26, 26)),
    "循环层": (nn.LSTM(100, 64), torch.randn(5, 2, 100)),
    "嵌入层": (nn.Embedding(1000, 50), torch.randint(0, 1000, (2, 7))),
}
for name, (layer, x) in layers.items():
    layer.eval()
    y = layer(x)
    out = y[0] if isinstance(y, tuple) else y
    print(name, layer, tuple(x.shape), "->", out.shape)
    print("  参数数量:", sum(p.numel() for p in layer.parameters()), " 输出均值: %.4f" % out.mean().item())

# 形状变化规律
x = torch.randn(2, 1, 28, 28)
print("输入:", x.shape)
x = nn.Conv2d(1, 32, 3, padding=1)(x)
print("卷积:", x.shape)
x = nn.MaxPool2d(2)(x)
print("池化:", x.shape)
x = x.view(x.size(0), -1)
print("展平:", x.shape)
x = nn.Linear(6272, 128)(x)
print("全连接:", x.shape)
