using DslNet.Training.State;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace DslNet.Training.Callbacks;

/// <summary>
/// Keras 3's <c>use_ema</c> (<c>BaseOptimizer._update_model_variables_moving_average</c> and <c>finalize_variable_values</c>,
/// with <c>ema_overwrite_frequency = None</c>): after every optimizer step, average = m·average + (1 − m)·weight for each
/// trainable parameter, with m = 0 on the run's first step (Keras' <c>not_first_step</c>: the average starts at the
/// weights after that step). Validation runs with the averages swapped in (what Keras' <c>SwapEMAWeights</c> callback
/// does), and at the end of the run the averages replace the weights. Batch-norm statistics are not averaged (they are
/// not trainable variables). The averages are part of a run's backup.
/// </summary>
internal sealed class EmaCallback(nn.Module model, double momentum) : TrainingCallback, IStatePart, IDisposable
{
    private readonly (string Name, Parameter Weight)[] weights =
        [.. model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter))];

    private Tensor[]? averages;
    private Tensor[]? swapped;

    public override void OnBatchEnd(TrainingContext context, int step, double loss)
    {
        using var noGrad = torch.no_grad();
        if (averages is null)
        {
            averages = [.. weights.Select(w => w.Weight.detach().clone().DetachFromDisposeScope())];
            return;
        }

        for (var i = 0; i < weights.Length; i++)
        {
            averages[i].mul_(momentum).add_(weights[i].Weight.detach(), alpha: 1 - momentum);
        }
    }

    /// <summary>Puts the averages into the model for validation, keeping the trained weights aside.</summary>
    public void SwapIn()
    {
        if (averages is null)
        {
            return;
        }

        using var noGrad = torch.no_grad();
        swapped = [.. weights.Select(w => w.Weight.detach().clone().DetachFromDisposeScope())];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i].Weight.copy_(averages[i]);
        }
    }

    /// <summary>Puts the trained weights back after validation.</summary>
    public void SwapOut()
    {
        if (swapped is null)
        {
            return;
        }

        using var noGrad = torch.no_grad();
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i].Weight.copy_(swapped[i]);
            swapped[i].Dispose();
        }

        swapped = null;
    }

    /// <summary>Keras' <c>finalize_variable_values</c>: the averages become the model's weights.</summary>
    public override void OnTrainEnd(TrainingContext context, History history)
    {
        if (averages is null)
        {
            return;
        }

        using var noGrad = torch.no_grad();
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i].Weight.copy_(averages[i]);
        }
    }

    public void Save(StateRecord record, string prefix)
    {
        record.PutNumbers(prefix + "started", averages is null ? 0 : 1);
        for (var i = 0; averages is not null && i < weights.Length; i++)
        {
            record.Put(prefix + "averages/" + weights[i].Name, averages[i]);
        }
    }

    public void Restore(StateRecord record, string prefix)
    {
        Free();
        if (record.Number(prefix + "started") != 0)
        {
            averages = [.. weights.Select(w => record.Take(prefix + "averages/" + w.Name))];
        }
    }

    public void Dispose()
    {
        SwapOut();
        Free();
    }

    private void Free()
    {
        foreach (var average in averages ?? [])
        {
            average.Dispose();
        }

        averages = null;
    }
}
