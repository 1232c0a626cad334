using System.Runtime.ExceptionServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DslNet.Training;

/// <summary>
/// A training step split over replicas that run on their own threads: the batch is cut into contiguous parts, each
/// replica computes the logits, the loss (its batch mean weighted by its share of the batch) and the gradients of its part
/// through the same parameters, and the gradients are summed in a fixed order (replica 0, then 1, …) before one optimizer
/// step (whose fused update is split over every core, as for any plan: <see cref="Optimizer.UpdateThreads"/>). The
/// result is one full-batch step up to float rounding, and the same for every run with the same replica count.
/// At small batches a step is a chain of small operations whose cost is mostly per-operation overhead, which one thread
/// per operation cannot spread over cores; replicas each pay that overhead on their own core.
/// Only for models whose training-mode forward is a pure function of the parameters and the input (no batch norm, whose
/// Keras statistics are over the full batch; no dropout or augmentation layer, whose masks, flips and crops come from one
/// shared random stream that replicas would draw from at once, in no fixed order), and whose
/// parameters are all trained (see <see cref="Supports"/>).
/// </summary>
internal sealed class DataParallelStep : IDisposable
{
    private readonly ITrainableModel model;
    private readonly Optimizer optimizer;
    private readonly Tensor[] parameters;
    private readonly Worker[] workers;

    public DataParallelStep(ITrainableModel model, Optimizer optimizer, int replicas, int threadsPerReplica)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 2);
        this.model = model;
        this.optimizer = optimizer;
        parameters = [.. optimizer.TrainedParameters];
        workers = new Worker[replicas - 1];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = new Worker(model, parameters, threadsPerReplica, i + 1, SubnormalFlush.OnThisThread);
        }
    }

    /// <summary>The number of replicas (the calling thread runs the first).</summary>
    public int Replicas => workers.Length + 1;

    /// <summary>
    /// Whether <paramref name="module"/> can train as replicas: no batch norm or dropout layer (by TorchSharp's module
    /// type names), no augmentation layer, and every parameter the optimizer holds is trained.
    /// </summary>
    public static bool Supports(nn.Module module, Optimizer optimizer)
    {
        foreach (var (_, child) in module.named_modules())
        {
            var name = child.GetType().Name;
            if (name.Contains("Norm", StringComparison.Ordinal) || name.Contains("Dropout", StringComparison.Ordinal)
                || child is State.IRandomLayer)
            {
                return false;
            }
        }

        return optimizer.TrainedParameters.All(p => p.requires_grad);
    }

    /// <summary>
    /// One training step on a batch, the same step as <see cref="TrainingLoop.TrainBatch{TModel}"/> (<see cref="TrainingStep"/>):
    /// zero gradients, each part's logits and objective, and, when the loss is finite, the summed gradients and one
    /// <see cref="TrainingStep.Finish"/>.
    /// Returns the loss value and the whole batch's logits (in the caller's dispose scope).
    /// </summary>
    public (double Loss, Tensor Logits) TrainBatch(Tensor features, Tensor labels)
    {
        optimizer.ZeroGrad();
        var size = features.shape[0];
        var parts = (int)Math.Min(Replicas, size);
        var started = 0;
        var waited = 0;
        try
        {
            for (var i = 1; i < parts; i++)
            {
                var (start, length) = Part(size, parts, i);
                workers[i - 1].Start(features.narrow(0, start, length), labels.narrow(0, start, length), (double)length / size);
                started = i;
            }

            var (_, firstLength) = Part(size, parts, 0);
            var logits = model.Logits(features.narrow(0, 0, firstLength));
            var loss = TrainingStep.Objective(model, logits, labels.narrow(0, 0, firstLength), classWeights: null, sampleWeights: null, share: (double)firstLength / size, withPenalty: true);

            var value = loss.ToDouble();
            if (double.IsFinite(value))
            {
                loss.backward();
            }

            for (var i = 1; i < parts; i++)
            {
                workers[i - 1].Wait();
                waited = i;
            }

            for (var i = 1; i < parts; i++)
            {
                workers[i - 1].Failure?.Throw();
                value += workers[i - 1].Loss;
            }

            if (double.IsFinite(value))
            {
                using (torch.no_grad())
                {
                    // In replica order, so the sum is the same in every run.
                    var gradients = optimizer.FlatGradients;
                    for (var i = 1; i < parts; i++)
                    {
                        gradients.add_(workers[i - 1].Gradients!);
                    }
                }

                TrainingStep.Finish(model, optimizer);
            }

            if (parts == 1)
            {
                return (value, logits);
            }

            using var noGrad = torch.no_grad();
            var pieces = new Tensor[parts];
            pieces[0] = logits;
            for (var i = 1; i < parts; i++)
            {
                pieces[i] = workers[i - 1].Logits!;
            }

            return (value, torch.cat(pieces, 0));
        }
        finally
        {
            // Also on an exception: no worker may still be running on this batch's tensors, and its outputs are freed.
            for (var i = waited + 1; i <= started; i++)
            {
                workers[i - 1].Wait();
            }

            for (var i = 1; i <= started; i++)
            {
                workers[i - 1].Release();
            }
        }
    }

    public void Dispose()
    {
        foreach (var worker in workers)
        {
            worker.Dispose();
        }
    }

    /// <summary>Replica <paramref name="index"/>'s rows of a batch of <paramref name="size"/>: contiguous, sizes differing by at most one.</summary>
    internal static (long Start, long Length) Part(long size, int parts, int index)
    {
        var start = size * index / parts;
        return (start, size * (index + 1) / parts - start);
    }

    /// <summary>A replica's thread: waits for a part of a batch, computes its weighted loss and gradients, signals.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly ITrainableModel model;
        private readonly Tensor[] parameters;
        private readonly int threads;
        private readonly Thread thread;
        private readonly SemaphoreSlim ready = new(0);
        private readonly SemaphoreSlim finished = new(0);
        private Tensor? features;
        private Tensor? labels;
        private double weight;
        private readonly bool flushSubnormals;
        private volatile bool stopping;

        public Worker(ITrainableModel model, Tensor[] parameters, int threads, int index, bool flushSubnormals)
        {
            this.flushSubnormals = flushSubnormals;
            this.model = model;
            this.parameters = parameters;
            this.threads = threads;
            thread = new Thread(Run) { IsBackground = true, Name = $"DslNet replica {index}" };
            thread.Start();
        }

        public double Loss { get; private set; }

        public Tensor? Logits { get; private set; }

        public Tensor? Gradients { get; private set; }

        public ExceptionDispatchInfo? Failure { get; private set; }

        public void Start(Tensor features, Tensor labels, double weight)
        {
            this.features = features;
            this.labels = labels;
            this.weight = weight;
            ready.Release();
        }

        public void Wait() => finished.Wait();

        /// <summary>Frees this step's outputs (after the caller used them).</summary>
        public void Release()
        {
            Logits?.Dispose();
            Logits = null;
            Gradients?.Dispose();
            Gradients = null;
        }

        public void Dispose()
        {
            stopping = true;
            ready.Release();
            thread.Join();
            Release();
            ready.Dispose();
            finished.Dispose();
        }

        private void Run()
        {
            // Torch's intra-op thread count is per thread under OpenMP: set it on this thread too.
            torch.set_num_threads(threads);
            SubnormalFlush.OnDedicatedThread(flushSubnormals, threads); // the run's mode, on this thread and its own pool
            while (true)
            {
                ready.Wait();
                if (stopping)
                {
                    return;
                }

                try
                {
                    Failure = null;
                    Compute();
                }
                catch (Exception error)
                {
                    Failure = ExceptionDispatchInfo.Capture(error);
                    Loss = double.NaN;
                }
                finally
                {
                    finished.Release();
                }
            }
        }

        private void Compute()
        {
            using var scope = torch.NewDisposeScope();
            var logits = model.Logits(features!);
            var loss = TrainingStep.Objective(model, logits, labels!, classWeights: null, sampleWeights: null, share: weight, withPenalty: false);
            Loss = loss.ToDouble();
            if (double.IsFinite(Loss))
            {
                var gradients = torch.autograd.grad([loss], parameters);
                Gradients = torch.cat(gradients.Select(g => g.reshape(-1)).ToArray(), 0).DetachFromDisposeScope();
            }

            Logits = logits.detach().DetachFromDisposeScope();
        }
    }
}
