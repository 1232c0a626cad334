using DslNet.Samples.Chapter11.Experiments;
TorchSharp.torch.set_num_threads(1);
SymmetryExperiment.Run(Console.Out);
MomentumExperiment.Run(Console.Out);
