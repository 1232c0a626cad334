using DslNet.Samples.Cifar10;

return CommandLine.Run(args, Run, Console.Out, Console.Error);

static int Run(ExerciseOptions options)
{
    try
    {
        new Exercise(options, Console.Out).Run();
        return 0;
    }
    catch (Exception failure) when (failure is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
    {
        Console.Error.WriteLine($"error: {failure.Message}");
        return 1;
    }
}
