using System.Diagnostics;
using DslNet.Tests.Data;
using DslNet.Tests.Models;
using DslNet.Training;
using Xunit;
using Xunit.Abstractions;

namespace DslNet.Tests.Validation;

/// <summary>The real CIFAR-10 training set passes the input check as it is: nothing copied or converted.</summary>
public sealed class RealDataValidationTests(RealCifar10 cifar, ITestOutputHelper output) : IClassFixture<RealCifar10>
{
    [Fact]
    public void TheCanonicalTrainingSetIsCheckedWithoutACopy()
    {
        using var model = new SwishNet();
        InputValidation.Check(model, cifar.Valid, "validation");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var checkedSet = InputValidation.Check(model, cifar.Train, "training");
        clock.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Assert.Same(cifar.Train, checkedSet);
        // The cost is reported, not asserted (a shared machine's timing is no pass/fail criterion); docs/reference.md has the
        // figure. CPU time, summed over torch's threads, is what a busy machine distorts least.
        output.WriteLine($"Input validation of the {cifar.Train.Count:N0}-image training set: {clock.Elapsed.TotalMilliseconds:0.0} ms wall-clock, " +
                         $"{used.TotalMilliseconds:0.0} ms CPU over {TorchSharp.torch.get_num_threads()} threads");
    }
}
