"""The PyTorch twin of a DslNet model, written by ExportPyTorch: the same class name, field names and forward as the
generated TorchSharp module, so the exported weights.pt loads with load_state_dict. DslNet's layers that torch lacks
(Keras padding, pooling over real pixels, standardization, whitening, parametric Swish, augmentation) are defined first."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Conv2d(nn.Conv2d):
    """DslNet's Convolution2D: Keras' padding as explicit (left, right, top, bottom) pads, known when the model was
    generated ('same' at stride 2 pads the end more than the start, which torch's padding argument cannot say)."""

    def __init__(self, in_channels, filters, kernel, stride=1, dilation=1, pads=(0, 0, 0, 0), bias=True):
        super().__init__(in_channels, filters, kernel, stride=stride, dilation=dilation, bias=bias)
        self.pads = tuple(pads)

    def forward(self, x):
        if any(self.pads):
            x = F.pad(x, self.pads)
        return F.conv2d(x, self.weight, self.bias, self.stride, 0, self.dilation)


class Pool2d(nn.Module):
    """DslNet's Pooling2D ('max' or 'avg'): Keras' padding as explicit pads; an average counts the real pixels only."""

    def __init__(self, kind, size, stride, pads=(0, 0, 0, 0)):
        super().__init__()
        self.kind, self.size, self.stride, self.pads = kind, size, stride, tuple(pads)

    def forward(self, x):
        if self.kind == 'max':
            if any(self.pads):
                x = F.pad(x, self.pads, value=float('-inf'))
            return F.max_pool2d(x, self.size, self.stride)
        if not any(self.pads):
            return F.avg_pool2d(x, self.size, self.stride)
        sums = F.avg_pool2d(F.pad(x, self.pads), self.size, self.stride)
        share = F.avg_pool2d(F.pad(torch.ones_like(x[:1, :1]), self.pads), self.size, self.stride)
        return sums / share


class Standardization(nn.Module):
    """DslNet's [Standardize]: the training set's mean and std per feature, as buffers (in weights.pt)."""

    def __init__(self, *shape):
        super().__init__()
        self.register_buffer('mean', torch.zeros(shape))
        self.register_buffer('std', torch.ones(shape))

    def forward(self, x):
        return (x - self.mean) / self.std


class Whitening(nn.Module):
    """DslNet's [Whiten]: airbench's frozen patch-whitening convolution (no padding, stride 1). The weight is a buffer, so
    it never trains: DslNet's Fit computed it from the training images (weights.pt holds it); the bias trains."""

    def __init__(self, channels, kernel, bias=True):
        super().__init__()
        patch = channels * kernel * kernel
        self.register_parameter('bias', nn.Parameter(torch.zeros(2 * patch)) if bias else None)
        self.register_buffer('weight', torch.zeros(2 * patch, channels, kernel, kernel))

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias)


def without_scale(norm):
    """A batch norm with a shift and no scale (Keras' scale=False), as DslNet builds it."""
    norm.bias = nn.Parameter(torch.zeros(norm.num_features))
    return norm


class ParametricSwish(nn.Module):
    """x * sigmoid(beta * x) with a learnable beta (starts at 1)."""

    def __init__(self):
        super().__init__()
        self.beta = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return x * torch.sigmoid(self.beta * x)


class GlobalAvgPool(nn.Module):
    def forward(self, x):
        return x.mean((2, 3))


class Resizing(nn.Module):
    """Bilinear resizing of each map (Keras' Resizing; half-pixel centers, no antialiasing)."""

    def __init__(self, height, width):
        super().__init__()
        self.size = (height, width)

    def forward(self, x):
        return F.interpolate(x, size=self.size, mode='bilinear', align_corners=False)


class RandomFlip(nn.Module):
    """Training only: each image flipped left-right with probability 1/2 (torch's random numbers, not DslNet's)."""

    def forward(self, x):
        if not self.training:
            return x
        flip = (torch.rand(x.shape[0], device=x.device) < 0.5).view(-1, 1, 1, 1)
        return torch.where(flip, x.flip(3), x)


class RandomCrop(nn.Module):
    """Training only: each image zero-padded by `padding` on every side, then cropped back at a random offset."""

    def __init__(self, padding):
        super().__init__()
        self.padding = padding

    def forward(self, x):
        if not self.training or self.padding == 0:
            return x
        n, c, h, w = x.shape
        p = self.padding
        padded = F.pad(x, (p, p, p, p))
        offsets = torch.randint(0, 2 * p + 1, (2, n), device=x.device)
        rows = (offsets[0].view(n, 1) + torch.arange(h, device=x.device)).view(n, 1, h, 1).expand(n, c, h, w + 2 * p)
        columns = (offsets[1].view(n, 1) + torch.arange(w, device=x.device)).view(n, 1, 1, w).expand(n, c, h, w)
        return padded.gather(2, rows).gather(3, columns)


