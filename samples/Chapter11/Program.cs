using DslNet.Samples.Chapter11.Experiments;

// Chapter 11's exercises 1–7 answered with numbers. One argument: an experiment's name, or "all".
if (args.Length != 1 || (args[0] != "all" && Catalog.Experiments.All(e => e.Name != args[0])))
{
    Console.Error.WriteLine(args.Length == 1
        ? $"error: unknown experiment '{args[0]}'; expected one of {string.Join(", ", Catalog.Experiments.Select(e => e.Name))}, or all."
        : $"error: expected exactly one argument (an experiment or all), got {args.Length}.");
    Console.Error.WriteLine();
    Console.Error.Write(Catalog.Usage);
    return 2;
}

// The layers are small: one intra-op thread is the fastest setting for them, and the host's other jobs keep their cores.
TorchSharp.torch.set_num_threads(1);
foreach (var experiment in Catalog.Experiments.Where(e => args[0] == "all" || e.Name == args[0]))
{
    experiment.Run(Console.Out);
}

return 0;
