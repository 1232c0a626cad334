using Xunit;

namespace DslNet.Tests.Training;

/// <summary>
/// Tests that seed torch's global random generator (Fit does, for dropout) and check bitwise-reproducible runs: they
/// must not run beside other tests that draw from that generator, so this collection runs on its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRandomCollection
{
    public const string Name = "Torch global random generator";
}
