namespace DslNet.Training;

/// <summary>Range checks for optimizer and schedule arguments, each failing with one message naming the argument.</summary>
internal static class Hyperparameters
{
    public static double NonNegative(double value, string name) =>
        double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0 (0 = off).");

    public static double Positive(double value, string name) =>
        double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0.");

    public static double Fraction(double value, string name) =>
        value is >= 0 and < 1
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");

    public static int AtLeastOne(int value, string name) =>
        value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
}
