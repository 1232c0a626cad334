namespace DslNet.Tests.Training;

/// <summary>
/// Keras 2 optimizer updates written independently in plain double precision, one variable (flat array) at a time,
/// following keras/optimizer_v2/*.py and the TensorFlow training ops they call.
/// </summary>
internal abstract class KerasReference
{
    protected int Step { get; private set; }

    public void Apply(double[][] weights, double[][] gradients)
    {
        Step++;
        BeginStep();
        for (var v = 0; v < weights.Length; v++)
        {
            for (var i = 0; i < weights[v].Length; i++)
            {
                weights[v][i] = Update(v, i, weights[v][i], gradients[v][i]);
            }
        }
    }

    protected virtual void BeginStep()
    {
    }

    protected abstract double Update(int variable, int index, double w, double g);

    /// <summary>Per-element state, created lazily with an initial value.</summary>
    protected sealed class Slot(double initial)
    {
        private readonly Dictionary<(int, int), double> values = [];

        public double this[int variable, int index]
        {
            get => values.TryGetValue((variable, index), out var v) ? v : initial;
            set => values[(variable, index)] = value;
        }
    }

    public sealed class Adam(double lr, double beta1, double beta2, double epsilon) : KerasReference
    {
        private readonly Slot m = new(0), v = new(0);

        protected override double Update(int variable, int index, double w, double g)
        {
            var lrT = lr * Math.Sqrt(1 - Math.Pow(beta2, Step)) / (1 - Math.Pow(beta1, Step));
            m[variable, index] = beta1 * m[variable, index] + (1 - beta1) * g;
            v[variable, index] = beta2 * v[variable, index] + (1 - beta2) * g * g;
            return w - lrT * m[variable, index] / (Math.Sqrt(v[variable, index]) + epsilon);
        }
    }

    public sealed class Nadam(double lr, double beta1, double beta2, double epsilon) : KerasReference
    {
        private readonly Slot m = new(0), v = new(0);
        private double mCache = 1, muT, muNext, scheduleNew, scheduleNext;

        protected override void BeginStep()
        {
            // _prepare_local: m_t, m_t_1, m_schedule_new (stored into m_cache), m_schedule_next.
            muT = beta1 * (1 - 0.5 * Math.Pow(0.96, 0.004 * Step));
            muNext = beta1 * (1 - 0.5 * Math.Pow(0.96, 0.004 * (Step + 1)));
            scheduleNew = mCache * muT;
            mCache = scheduleNew;
            scheduleNext = scheduleNew * muNext;
        }

        protected override double Update(int variable, int index, double w, double g)
        {
            var gPrime = g / (1 - scheduleNew);
            var mT = m[variable, index] = beta1 * m[variable, index] + (1 - beta1) * g;
            var mPrime = mT / (1 - scheduleNext);
            var vT = v[variable, index] = beta2 * v[variable, index] + (1 - beta2) * g * g;
            var vPrime = vT / (1 - Math.Pow(beta2, Step));
            var mBar = (1 - muT) * gPrime + muNext * mPrime;
            return w - lr * mBar / (Math.Sqrt(vPrime) + epsilon);
        }
    }

    public sealed class RmsProp(double lr, double rho, double momentum, double epsilon) : KerasReference
    {
        private readonly Slot ms = new(0), mom = new(0);

        protected override double Update(int variable, int index, double w, double g)
        {
            ms[variable, index] = rho * ms[variable, index] + (1 - rho) * g * g;
            if (momentum == 0)
            {
                return w - lr * g / (Math.Sqrt(ms[variable, index]) + epsilon);
            }

            // training_ops.ResourceApplyRMSProp: mom = momentum·mom + lr·g/sqrt(ms + ε); var −= mom.
            mom[variable, index] = momentum * mom[variable, index] + lr * g / Math.Sqrt(ms[variable, index] + epsilon);
            return w - mom[variable, index];
        }
    }

    public sealed class AdaGrad(double lr, double initial, double epsilon) : KerasReference
    {
        private readonly Slot accumulator = new(initial);

        protected override double Update(int variable, int index, double w, double g)
        {
            accumulator[variable, index] += g * g;
            return w - lr * g / (Math.Sqrt(accumulator[variable, index]) + epsilon);
        }
    }

    public sealed class AdaMax(double lr, double beta1, double beta2, double epsilon) : KerasReference
    {
        private readonly Slot m = new(0), u = new(0);

        protected override double Update(int variable, int index, double w, double g)
        {
            m[variable, index] = beta1 * m[variable, index] + (1 - beta1) * g;
            u[variable, index] = Math.Max(beta2 * u[variable, index], Math.Abs(g));
            return w - lr / (1 - Math.Pow(beta1, Step)) * m[variable, index] / (u[variable, index] + epsilon);
        }
    }

    public sealed class AdamW(double lr, double beta1, double beta2, double epsilon, double weightDecay) : KerasReference
    {
        private readonly Adam adam = new(lr, beta1, beta2, epsilon);

        protected override void BeginStep() => adam.StepCounter();

        protected override double Update(int variable, int index, double w, double g) =>
            adam.UpdateOne(variable, index, w - w * weightDecay * lr, g);
    }

    public sealed class Sgd(double lr, double momentum, bool nesterov) : KerasReference
    {
        private readonly Slot velocity = new(0);

        protected override double Update(int variable, int index, double w, double g)
        {
            if (momentum == 0)
            {
                return w - lr * g;
            }

            var v = velocity[variable, index] = momentum * velocity[variable, index] - lr * g;
            return nesterov ? w + momentum * v - lr * g : w + v;
        }
    }

    private void StepCounter() => Step++;

    private double UpdateOne(int variable, int index, double w, double g) => Update(variable, index, w, g);
}
