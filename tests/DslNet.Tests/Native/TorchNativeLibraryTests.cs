using DslNet.Native;
using TorchSharp;
using Xunit;

namespace DslNet.Tests.Native;

public sealed class TorchNativeLibraryTests
{
    [Fact]
    public void TorchSharpTrainsAfterEnsureLoadable()
    {
        TorchNativeLibrary.EnsureLoadable();
        TorchNativeLibrary.EnsureLoadable();

        using var x = torch.randn(4, 3, requires_grad: true);
        using var loss = (x * x).sum();
        loss.backward();

        Assert.NotNull(x.grad);
        using var expected = x.detach() * 2;
        Assert.True(x.grad.allclose(expected), "the gradient of sum(x*x) is 2x");
    }
}
