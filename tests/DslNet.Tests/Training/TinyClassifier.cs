using DslNet.Native;
using DslNet.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DslNet.Tests.Training;

/// <summary>
/// A hand-written model shaped like the generated ones: Linear → ReLU (→ BatchNorm) (→ Dropout) → Linear with a softmax
/// output, cross-entropy from logits, an optional Keras l2 penalty and max-norm on the hidden layer.
/// </summary>
internal sealed class TinyClassifier : nn.Module<Tensor, Tensor>, ITrainableModel
{
    private readonly Linear hidden;
    private readonly BatchNorm1d? norm;
    private readonly Dropout? dropout;
    private readonly Linear output;
    private readonly double l2;
    private readonly double maxNorm;
    private readonly long[] sampleShape;
    private readonly int classes;

    static TinyClassifier() => TorchNativeLibrary.EnsureLoadable();

    public TinyClassifier(int inputs, int hiddenUnits, int classes, long seed = 42, double dropoutRate = 0, bool batchNorm = false, double l2 = 0, double maxNorm = 0)
        : base(nameof(TinyClassifier))
    {
        torch.manual_seed(seed);
        hidden = nn.Linear(inputs, hiddenUnits);
        norm = batchNorm ? nn.BatchNorm1d(hiddenUnits, eps: 1e-3, momentum: 0.01) : null;
        dropout = dropoutRate > 0 ? nn.Dropout(dropoutRate) : null;
        output = nn.Linear(hiddenUnits, classes);
        this.l2 = l2;
        this.maxNorm = maxNorm;
        sampleShape = [inputs];
        this.classes = classes;
        RegisterComponents();
    }

    public Linear Hidden => hidden;

    public nn.Module[] DropoutLayers => dropout is null ? [] : [dropout];

    public string Name => nameof(TinyClassifier);

    public bool IsClassifier => true;

    public OutputKind OutputKind => OutputKind.Softmax;

    public IReadOnlyList<long> SampleShape => sampleShape;

    public int OutputUnits => classes;

    public override Tensor forward(Tensor input) => nn.functional.softmax(Logits(input), -1);

    public Tensor Logits(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var h = nn.functional.relu(hidden.call(input));
        if (norm is not null)
        {
            h = norm.call(h);
        }

        if (dropout is not null)
        {
            h = dropout.call(h);
        }

        return output.call(h).MoveToOuterDisposeScope();
    }

    public Tensor DataLoss(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels);

    public Tensor SampleLosses(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None);

    public Tensor? Penalty() => l2 > 0 ? Penalties.L2(hidden.weight!, l2) : null;

    public void ApplyConstraints()
    {
        if (maxNorm > 0)
        {
            Constraints.MaxNorm(hidden.weight!, maxNorm);
        }
    }
}
