# Seed 002 sections 3.1-3.2 verbatim (a custom Dataset, its plots, a DataLoader with two worker processes).
import torch
from torch.utils.data import Dataset, DataLoader
import numpy as np
class CustomDataset(Dataset):
    def __init__(self, data_size=100):
        self.X = np.random.rand(data_size, 3)  # 3个特征
        self.y = self.X[:,0]*2 + self.X[:,1]*3 - self.X[:,2]*1.5
        
    def __len__(self):
        return len(self.X)
    
    def __getitem__(self, idx):
        features = torch.tensor(self.X[idx], dtype=torch.float32)
        target = torch.tensor(self.y[idx], dtype=torch.float32)
        return features, target
# 实例化数据集
dataset = CustomDataset(1000)
# 可视化数据分布
import matplotlib.pyplot as plt
plt.figure(figsize=(12,4))
plt.subplot(131)
plt.scatter(dataset.X[:,0], dataset.y)
plt.title('特征1 vs 目标值')
plt.subplot(132)
plt.scatter(dataset.X[:,1], dataset.y)
plt.title('特征2 vs 目标值')
plt.subplot(133)
plt.scatter(dataset.X[:,2], dataset.y)
plt.title('特征3 vs 目标值')
plt.tight_layout()
plt.show()

# 创建数据加载器
dataloader = DataLoader(
    dataset,
    batch_size=32,
    shuffle=True,
    num_workers=2
)
# 迭代获取批次数据
for batch_idx, (inputs, targets) in enumerate(dataloader):
    print(f"批次 {batch_idx}:")
    print(f"输入形状: {inputs.shape}")
    print(f"目标形状: {targets.shape}")
    
    # 仅展示前两个批次
    if batch_idx == 1:
        break
