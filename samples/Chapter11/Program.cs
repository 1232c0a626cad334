using DslNet.Samples.Chapter11;
using DslNet.Samples.Chapter11.Experiments;

// Chapter 11's exercises 1–7 answered with numbers. One argument: an experiment's name, or "all".
return CommandLine.Run(args, Run, Console.Out, Console.Error);

static int Run(string name)
{
    // The layers are small: one intra-op thread is the fastest setting for them, and the host's other jobs keep their cores.
    TorchSharp.torch.set_num_threads(1);
    foreach (var experiment in Catalog.Experiments.Where(e => name == "all" || e.Name == name))
    {
        experiment.Run(Console.Out);
    }

    return 0;
}
