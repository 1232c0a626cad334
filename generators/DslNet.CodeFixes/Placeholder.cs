namespace DslNet.CodeFixes { internal static class Placeholder { } }
