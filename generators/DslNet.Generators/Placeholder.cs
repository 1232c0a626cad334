namespace DslNet.Generators { internal static class Placeholder { } }
