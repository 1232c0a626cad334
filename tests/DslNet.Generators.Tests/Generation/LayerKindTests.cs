using DslNet.Generators.Emitting;
using DslNet.Generators.Model;
using Xunit;

namespace DslNet.Generators.Tests.Generation;

/// <summary>
/// Every layer kind and every activation has its one description in the generator: a kind added to the enum without a
/// descriptor (or an activation without its forms) fails here instead of falling back to another kind at a catch-all arm.
/// </summary>
public class LayerKindTests
{
    [Fact]
    public void Every_layer_kind_has_its_own_descriptor() =>
        Assert.All(Enum.GetValues<LayerKind>(), kind => Assert.Equal(kind, LayerKinds.Of(kind).Kind));

    [Fact]
    public void Every_layer_attribute_of_the_runtime_names_a_kind()
    {
        var attributes = typeof(DslNet.LayerAttribute).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(DslNet.LayerAttribute)) && !type.IsAbstract && type != typeof(DslNet.ReuseAttribute))
            .Select(type => type.Name)
            .Order()
            .ToList();

        Assert.Equal(attributes, LayerKinds.AttributeNames.Order());
    }

    [Fact]
    public void Each_kind_has_a_distinct_attribute_and_field_stem()
    {
        var kinds = Enum.GetValues<LayerKind>().Select(LayerKinds.Of).ToList();

        Assert.Equal(kinds.Count, kinds.Select(kind => kind.AttributeName).Distinct().Count());
        Assert.Equal(kinds.Count, kinds.Select(kind => kind.FieldStem).Distinct().Count());
    }

    [Fact]
    public void Every_activation_has_a_Keras_name_a_forward_form_and_an_ONNX_form() =>
        Assert.All(Enum.GetValues<Model.Act>(), act =>
        {
            var form = ActivationForm.Of(act);
            Assert.Equal(act, form.Act);
            Assert.NotEmpty(form.KerasName);
            Assert.NotEmpty(form.Apply("x", double.NaN, "m"));
            Assert.True(act == Model.Act.Linear || form.OnnxCall(double.NaN, "m").Length > 0, $"{act} has no ONNX form.");
        });
}
