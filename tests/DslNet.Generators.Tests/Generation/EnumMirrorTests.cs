using Xunit;

namespace DslNet.Generators.Tests.Generation;

/// <summary>
/// The generator reads attribute arguments as integers through its own copies of the runtime's enums (it must not
/// reference the runtime assembly); these tests keep each copy's names and values identical to the runtime's.
/// </summary>
public class EnumMirrorTests
{
    public static TheoryData<Type, Type> Mirrors => new()
    {
        { typeof(DslNet.Act), typeof(Model.Act) },
        { typeof(DslNet.Init), typeof(Model.Init) },
        { typeof(DslNet.Monitored), typeof(Model.Monitored) },
        { typeof(DslNet.LossKind), typeof(Model.LossKind) },
        { typeof(DslNet.Training.OutputKind), typeof(Model.OutputKind) },
        { typeof(DslNet.Padding), typeof(Model.Padding) },
        { typeof(DslNet.Projection), typeof(Model.Projection) },
    };

    [Theory]
    [MemberData(nameof(Mirrors))]
    public void Generator_enum_mirrors_the_runtime_enum(Type runtime, Type generator)
    {
        var expected = Enum.GetValues(runtime).Cast<object>().Select(value => (value.ToString(), Convert.ToInt32(value))).ToList();
        var actual = Enum.GetValues(generator).Cast<object>().Select(value => (value.ToString(), Convert.ToInt32(value))).ToList();

        Assert.Equal(expected, actual);
    }
}
