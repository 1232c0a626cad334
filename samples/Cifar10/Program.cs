using DslNet.Samples.Cifar10;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

var (options, error) = CommandLine.Parse(args);
if (options is null)
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

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
