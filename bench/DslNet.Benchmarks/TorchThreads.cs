using static TorchSharp.torch;

namespace DslNet.Benchmarks;

/// <summary>Torch's intra-op thread count for the hand-written loops, set for one call and put back afterwards.</summary>
internal static class TorchThreads
{
    public static T Run<T>(int threads, Func<T> function)
    {
        var result = default(T)!;
        Run(threads, () => { result = function(); });
        return result;
    }

    public static void Run(int threads, Action action)
    {
        var previous = get_num_threads();
        set_num_threads(threads);
        try
        {
            action();
        }
        finally
        {
            set_num_threads(previous);
        }
    }
}
