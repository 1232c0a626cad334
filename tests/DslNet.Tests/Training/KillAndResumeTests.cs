using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace DslNet.Tests.Training;

/// <summary>
/// Kill and resume: a child process (tests/DslNet.Tests.ResumeChild) trains a declared model with a backup folder; it is
/// killed with SIGKILL at random moments and started again until it finishes. Its final weights (the model file, byte for
/// byte), its history (every column but the wall-clock seconds) and how it ended must equal those of an uninterrupted run.
/// </summary>
[Collection(TorchRandomCollection.Name)] // alone: its child processes and timings must not share the cores with other test classes
public sealed partial class KillAndResumeTests(ITestOutputHelper log) : IDisposable
{
    private const int MinimumKills = 3; // each after some progress; more would only make the test slower
    private const int MaximumAttempts = 3;
    private readonly string folder = Directory.CreateTempSubdirectory("dslnet-resume-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_run_killed_mid_epoch_resumes_to_exactly_the_uninterrupted_result() =>
        KilledRunEqualsUninterrupted("ResumeNet", backupEverySteps: 17, requireMidEpochResume: true);

    [Fact]
    public void Early_stopping_triggers_after_a_resume_exactly_as_without_one()
    {
        var (_, resumes) = KilledRunEqualsUninterrupted("EarlyStopNet", backupEverySteps: null, requireMidEpochResume: false);
        var end = File.ReadAllLines(Path.Combine(folder, "killed", "end.txt"));
        var stopped = int.Parse(end[0]["stopped ".Length..]);
        Assert.True(stopped > 0, "early stopping must have stopped the run");
        Assert.Contains(resumes, r => r.Epoch <= stopped);
    }

    /// <summary>
    /// Flips and crops come from the augmentation layers' own generators: a resumed run must draw the same ones (before they
    /// were part of the training state, a resumed run drew them again from the layers' seeds).
    /// </summary>
    [Fact]
    public void An_augmented_conv_run_killed_mid_epoch_resumes_to_exactly_the_uninterrupted_result() =>
        KilledRunEqualsUninterrupted("AugmentedConvNet", backupEverySteps: 11, requireMidEpochResume: true);

    [Fact]
    public void A_1cycle_run_resumes_at_its_position_in_the_cycle() =>
        KilledRunEqualsUninterrupted("OneCycleNet", backupEverySteps: 25, requireMidEpochResume: false);

    private (int Kills, List<(int Epoch, int Step)> Resumes) KilledRunEqualsUninterrupted(string model, int? backupEverySteps, bool requireMidEpochResume)
    {
        var reference = Path.Combine(folder, "reference");
        var killed = Path.Combine(folder, "killed");
        var backup = Path.Combine(folder, "backup");
        var every = backupEverySteps?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var uninterrupted = every is null
            ? Child.Start(model, reference, Path.Combine(folder, "reference-backup"))
            : Child.Start(model, reference, Path.Combine(folder, "reference-backup"), every);

        var seed = Environment.TickCount;
        var random = new Random(seed);
        var kills = 0;
        var resumes = new List<(int Epoch, int Step)>();
        // A child that outruns its kills (its epochs are a fraction of a second, and a busy machine stretches the moment a
        // kill lands) finishes with fewer than MinimumKills: that sequence proves too little, so it starts over, up to
        // MaximumAttempts times; the equality checks below hold for every sequence.
        for (var attempt = 1; ; attempt++)
        {
            (kills, resumes) = KillUntilDone(model, killed, backup, every, random, seed);
            var enough = kills >= MinimumKills && (!requireMidEpochResume || resumes.Any(r => r.Step > 0));
            if (enough || attempt == MaximumAttempts)
            {
                break;
            }

            log.WriteLine($"attempt {attempt}: {kills} kills, resumed at {string.Join(", ", resumes)}; starting over");
            Directory.Delete(killed, recursive: true);
            if (Directory.Exists(backup))
            {
                Directory.Delete(backup, recursive: true);
            }
        }

        Assert.True(uninterrupted.Process.WaitForExit(TimeSpan.FromMinutes(2)), "the uninterrupted run did not finish");
        Assert.True(uninterrupted.Process.ExitCode == 0, $"the uninterrupted run failed: {uninterrupted.Output}");
        log.WriteLine($"{model}: {kills} kills; resumed at {string.Join(", ", resumes.Select(r => $"epoch {r.Epoch} step {r.Step}"))}");

        Assert.True(kills >= MinimumKills, $"only {kills} kills: the child finished too fast to be killed");
        Assert.NotEmpty(resumes);
        if (requireMidEpochResume)
        {
            Assert.Contains(resumes, r => r.Step > 0);
        }

        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "weights.bin")), File.ReadAllBytes(Path.Combine(killed, "weights.bin")));
        Assert.Equal(WithoutSeconds(Path.Combine(reference, "history.csv")), WithoutSeconds(Path.Combine(killed, "history.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(reference, "end.txt")), File.ReadAllText(Path.Combine(killed, "end.txt")));
        Assert.False(Directory.Exists(backup), "the backup must be removed when Fit completes");
        return (kills, resumes);
    }

    /// <summary>Starts the child again and again, killing it at random moments, until it finishes; returns the kills and where it resumed.</summary>
    private (int Kills, List<(int Epoch, int Step)> Resumes) KillUntilDone(string model, string killed, string backup, string? every, Random random, int seed)
    {
        var kills = 0;
        var resumes = new List<(int Epoch, int Step)>();
        while (true)
        {
            using var child = every is null ? Child.Start(model, killed, backup) : Child.Start(model, killed, backup, every);
            if (kills < MinimumKills)
            {
                // A random moment within the training steps of the epoch after the first one this run finished (so each
                // kill comes after some progress was backed up, and the run cannot finish first): up to one epoch's duration
                // as this run measured it, and at the latest when that epoch's steps end (its progress line).
                var epochTimes = child.WaitForLines(IsEpochStart, 2);
                var epoch = epochTimes.Count == 2 ? epochTimes[1] - epochTimes[0] : TimeSpan.Zero;
                var delay = epoch * random.NextDouble();
                child.WaitForLines(IsEpochEnd, 2, delay);
                if (!child.Process.HasExited)
                {
                    child.Process.Kill(); // SIGKILL on Linux: no finally block, no flush
                    child.Process.WaitForExit();
                    kills++;
                    log.WriteLine($"killed {delay.TotalMilliseconds:0} ms into an epoch of {epoch.TotalMilliseconds:0} ms (seed {seed})");
                    resumes.AddRange(child.Resumes());
                    continue;
                }
            }

            Assert.True(child.Process.WaitForExit(TimeSpan.FromMinutes(2)), "the resumed run did not finish");
            resumes.AddRange(child.Resumes());
            Assert.True(child.Process.ExitCode == 0, $"the child failed: {child.Output}");
            return (kills, resumes);
        }
    }

    private static bool IsEpochStart(string line) => line.StartsWith("Epoch ", StringComparison.Ordinal);

    private static bool IsEpochEnd(string line) => line.Contains(" [====", StringComparison.Ordinal);

    /// <summary>The history CSV without its last column, the wall-clock seconds (the only value a resumed run cannot reproduce).</summary>
    private static string[] WithoutSeconds(string path) =>
        File.ReadAllLines(path).Select(line => line[..line.LastIndexOf(',')]).ToArray();

    [GeneratedRegex(@"Resuming from the backup in .*: (?:epoch (\d+), after step (\d+)|after epoch (\d+))\.")]
    private static partial Regex ResumeLine();

    /// <summary>A running child process and its output.</summary>
    private sealed class Child : IDisposable
    {
        private readonly System.Text.StringBuilder output = new();
        private readonly List<(TimeSpan At, string Line)> received = [];
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly SemaphoreSlim lines = new(0);

        private Child(Process process) => Process = process;

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (output)
                {
                    return output.ToString();
                }
            }
        }

        public static Child Start(params string[] arguments)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DslNet.Tests.ResumeChild.dll"));
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var process = new Process { StartInfo = start };
            var child = new Child(process);
            process.OutputDataReceived += (_, e) => child.Receive(e.Data);
            process.ErrorDataReceived += (_, e) => child.Receive(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        /// <summary>
        /// Waits until the child printed <paramref name="count"/> lines that match <paramref name="match"/> (or exited, or
        /// <paramref name="timeout"/> passed); returns when each of them arrived.
        /// </summary>
        public List<TimeSpan> WaitForLines(Func<string, bool> match, int count, TimeSpan? timeout = null)
        {
            var deadline = Stopwatch.StartNew();
            var limit = timeout ?? TimeSpan.FromMinutes(1);
            while (true)
            {
                List<TimeSpan> times;
                lock (output)
                {
                    times = received.Where(r => match(r.Line)).Select(r => r.At).Take(count).ToList();
                }

                if (times.Count >= count || Process.HasExited || deadline.Elapsed > limit)
                {
                    return times;
                }

                lines.Wait(TimeSpan.FromMilliseconds(5));
            }
        }

        /// <summary>Where this child resumed, from its "Resuming from the backup" message.</summary>
        public IEnumerable<(int Epoch, int Step)> Resumes() =>
            ResumeLine().Matches(Output).Select(m => m.Groups[1].Success
                ? (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value))
                : (int.Parse(m.Groups[3].Value) + 1, 0)).ToList();

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit();
            }

            Process.Dispose();
            lines.Dispose();
        }

        private void Receive(string? data)
        {
            if (data is null)
            {
                return;
            }

            lock (output)
            {
                output.Append(data).Append('\n');
                received.Add((clock.Elapsed, data));
            }

            lines.Release();
        }
    }
}
