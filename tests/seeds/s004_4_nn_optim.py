# Seed 004 sections 4.2 and 5.2 verbatim (SimpleNet with dropout, its parameter count, the
# optimizers table and AdamW), then seed 003's save/load of a state_dict and seed 002 §5.2's
# eval mode with no_grad; the printed optimizers and the eval outputs must match PyTorch's.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

class SimpleNet(nn.Module):
    def __init__(self, input_size=784, hidden_size=128, output_size=10):
        super().__init__()
        self.fc1 = nn.Linear(input_size, hidden_size)
        self.fc2 = nn.Linear(hidden_size, output_size)
        self.dropout = nn.Dropout(0.2)

    def forward(self, x):
        # 展平输入 (batch, 784)
        x = x.view(x.size(0), -1)

        # 第一层 + ReLU + Dropout
        x = F.relu(self.fc1(x))
        x = self.dropout(x)

        # 输出层 (不需要softmax, CrossEntropyLoss会处理)
        x = self.fc2(x)
        return x

# 使用模型
model = SimpleNet()
print(f"模型参数数量: {sum(p.numel() for p in model.parameters())}")
print(model)

for optimizer in [optim.SGD(model.parameters(), lr=0.1), optim.SGD(model.parameters(), lr=0.1, momentum=0.9),
                  optim.Adam(model.parameters(), lr=0.001), optim.RMSprop(model.parameters()),
                  optim.Adagrad(model.parameters())]:
    print(optimizer)
# AdamW = Adam + 改进的权重衰减
optimizer = optim.AdamW(
    model.parameters(),
    lr=0.001,
    weight_decay=0.01, # 更合理的权重衰减
    betas=(0.9, 0.999)
)
print(optimizer)

criterion = nn.CrossEntropyLoss()
data, target = torch.randn(8, 1, 28, 28), torch.randint(0, 10, (8,))
for step in range(3):
    optimizer.zero_grad() # 清零！
    output = model.eval()(data)
    loss = criterion(output, target)
    loss.backward()
    optimizer.step()
    print(f"step {step}: loss {loss.item():.4f}")

# 保存模型
torch.save(model.state_dict(), 'model.pth')

# 加载模型
model.load_state_dict(torch.load('model.pth'))
print(model.load_state_dict(torch.load('model.pth')))

# 切换到评估模式
model.eval()
# 禁用梯度计算
with torch.no_grad():
    predictions = model(data)
    print(predictions.argmax(1), predictions.requires_grad)
