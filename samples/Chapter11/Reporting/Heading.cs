namespace DslNet.Samples.Chapter11.Reporting;

/// <summary>The lines that open an experiment: which exercise, the chapter's question, and the answer its numbers support.</summary>
internal static class Heading
{
    public static void Write(TextWriter output, string title, string question, string answer)
    {
        output.WriteLine();
        output.WriteLine($"== {title}");
        output.WriteLine($"Q: {question}");
        output.WriteLine($"A: {answer}");
        output.WriteLine();
    }
}
