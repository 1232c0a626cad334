using System.Diagnostics;

namespace DslNet.Samples.Chapter11.Experiments;

/// <summary>
/// Wall-clock timing for the sample's cost comparisons: each action runs once to warm up, then the actions take turns
/// <c>repetitions</c> times (so a burst of load from other jobs hits them all alike), and each gets its median.
/// </summary>
internal static class Timing
{
    public static TimeSpan[] Medians(IReadOnlyList<Action> actions, int repetitions)
    {
        var times = actions.Select(_ => new List<TimeSpan>(repetitions)).ToArray();
        foreach (var action in actions)
        {
            action();
        }

        for (var round = 0; round < repetitions; round++)
        {
            for (var i = 0; i < actions.Count; i++)
            {
                var clock = Stopwatch.StartNew();
                actions[i]();
                times[i].Add(clock.Elapsed);
            }
        }

        return times.Select(list => list.Order().ElementAt(list.Count / 2)).ToArray();
    }
}
