using System.ComponentModel;

namespace DslNet.Training;

/// <summary>
/// The optimizer a generated model keeps between calls to <c>Fit</c>: a second <c>Fit</c> continues its state (step count,
/// moments), as Keras' <c>fit</c> does; a change of which layers are frozen, or an explicit
/// <see cref="FitOptions.LearningRate"/>, starts a fresh one, as the book compiles the model again.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FitOptimizer : IDisposable
{
    private Optimizer? current;
    private long freezeVersion;

    /// <summary>The optimizer for the next <c>Fit</c>; <paramref name="create"/> makes a fresh one at the given learning rate.</summary>
    public Optimizer For(FitOptions? options, double declaredLearningRate, long freezeVersion, Func<double, Optimizer> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (current is not null && options?.LearningRate is null && freezeVersion == this.freezeVersion)
        {
            // Another optimizer (e.g. FindLearningRate's) may have taken the parameters over since: point them back here.
            current.Rebind();
            return current;
        }

        current?.Dispose();
        current = null;
        current = create(options?.LearningRate ?? declaredLearningRate);
        this.freezeVersion = freezeVersion;
        return current;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        current?.Dispose();
        current = null;
    }
}
