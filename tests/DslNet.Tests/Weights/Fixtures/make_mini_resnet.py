"""Writes the torchvision-layout fixtures of WeightImportTests (run with Debian 12's python3-torch 1.13 and
python3-torchvision 0.14: `python3 make_mini_resnet.py` in this folder). No download: random weights, seed 0.

mini_resnet.pt: torch.save(state_dict) of a ResNet of torchvision's BasicBlocks with few channels
  (conv1 3->8 3x3 + bn1 + relu, layer1 = BasicBlock(8, 8), layer2 = BasicBlock(8, 16, stride 2, downsample),
  global average pool, fc 16->10), every batch norm given random scale, shift and moving statistics.
mini_resnet_io.pt: torch.save({'input': x, 'output': model.eval()(x)}) for a fixed input x [2, 3, 16, 16].
The DslNet declaration that takes these weights is MiniTorchResNet in WeightModels.cs.
"""
import torch
from torch import nn
from torchvision.models.resnet import BasicBlock, conv1x1


class MiniResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = nn.Sequential(BasicBlock(8, 8))
        downsample = nn.Sequential(conv1x1(8, 16, 2), nn.BatchNorm2d(16))
        self.layer2 = nn.Sequential(BasicBlock(8, 16, stride=2, downsample=downsample))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(self.avgpool(x), 1))


torch.manual_seed(0)
model = MiniResNet()
with torch.no_grad():
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.weight.uniform_(0.5, 1.5)
            module.bias.uniform_(-0.5, 0.5)
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2.0)
            module.num_batches_tracked.fill_(7)
model.eval()
x = torch.randn(2, 3, 16, 16)
with torch.no_grad():
    y = model(x)
torch.save(model.state_dict(), "mini_resnet.pt")
torch.save({"input": x.contiguous(), "output": y.contiguous()}, "mini_resnet_io.pt")
print(list(model.state_dict().keys()))
print(y)
