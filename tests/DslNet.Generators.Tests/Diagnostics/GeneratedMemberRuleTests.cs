using System.Collections.Immutable;
using DslNet.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DslNet.Generators.Tests.Diagnostics;

/// <summary>
/// DSL008: a [Model] class that overrides, hides or redeclares a member DslNet generates, reported at the user's member,
/// with the generator's output in the compilation as in a real build.
/// </summary>
public sealed class GeneratedMemberRuleTests
{
    private const string Header = """
        using DslNet;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Samples;

        [Model(3, 8, 8)]
        [Conv2D(4, 3, Padding = Padding.Same, Act = Act.ReLU)]
        [GlobalAvgPool]
        [Dense(3, Act = Act.Softmax)]
        public partial class Net
        {

        """;

    [Fact]
    public async Task An_overridden_forward_for_a_skip_connection_is_reported_at_the_override_with_what_to_use_instead()
    {
        var diagnostics = await VerifyAsync(Header + """
                public override Tensor {|DSL008:forward|}(Tensor input) => base.forward(input) + input.mean();
            }
            """);

        Assert.Equal(
            "Model 'Net' overrides 'forward', which DslNet generates; Fit and Evaluate train through the generated Logits, so a second forward pass would give " +
            "Predict a network that was never trained. Declare a skip connection with [Residual(typeof(Block))], and a computation the layer attributes cannot " +
            "declare as a TorchSharp module of your own, outside the [Model] class",
            diagnostics.Single().GetMessage());
    }

    [Fact]
    public Task An_overridden_Logits_is_reported_at_the_user_member_not_inside_the_generated_file() => VerifyAsync(Header + """
            public override Tensor {|DSL008:Logits|}(Tensor input) => input;
        }
        """);

    [Fact]
    public Task A_forward_hidden_with_new_or_without_it_is_reported() => VerifyAsync(Header + """
            public new Tensor {|DSL008:forward|}(Tensor input) => input;

            public new Tensor {|DSL008:call|}(Tensor input) => input;
        }
        """);

    [Fact]
    public Task Redeclared_generated_facts_and_methods_and_hidden_training_methods_are_reported() => VerifyAsync(Header + """
            public new const string {|DSL008:Summary|} = "mine";

            public static Net {|DSL008:Load|}(string path, Device? device = null) => new Net(device);

            public new History {|DSL008:Fit|}(Dataset train, Dataset? validation = null, FitOptions? options = null) => base.Fit(train, validation, options);
        }
        """);

    [Fact]
    public Task Overloads_and_other_overrides_are_fine() => VerifyAsync(Header + """
            public History Fit(Tensor features, Tensor labels) => Fit(new Dataset(features, labels));

            public static Net Load(System.IO.Stream stream) => new Net();

            public Tensor Embed(Tensor input) => Logits(input);

            protected override void Dispose(bool disposing) => base.Dispose(disposing);
        }
        """);

    /// <summary>Runs the generator, then the analyzer over the result, and asserts exactly the marked DSL diagnostics in the user's file.</summary>
    private static async Task<ImmutableArray<Diagnostic>> VerifyAsync(string marked)
    {
        var source = MarkedSource.Parse(marked);
        var compilation = CompilationFactory.Create(source.Text);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);

        var diagnostics = (await AnalyzerRunner.AnalyzeAsync(generated)).Where(d => d.Id.StartsWith("DSL", StringComparison.Ordinal) || d.Id == "AD0001").ToImmutableArray();

        var text = SourceText.From(source.Text);
        Assert.Equal(
            source.Expected.Select(e => Describe(text, e.Id, e.Span)),
            diagnostics.Select(d => d.Location.SourceTree?.FilePath == "Source0.cs" ? Describe(text, d.Id, d.Location.SourceSpan) : $"{d.Id} in {d.Location.SourceTree?.FilePath}"));
        return diagnostics;
    }

    private static string Describe(SourceText text, string id, TextSpan span)
    {
        var lines = text.Lines.GetLinePositionSpan(span);
        return $"{id} {lines.Start.Line + 1}:{lines.Start.Character + 1}-{lines.End.Line + 1}:{lines.End.Character + 1} '{text.ToString(span)}'";
    }
}
