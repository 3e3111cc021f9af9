namespace Sinew.X12;

/// <summary>A schema file that cannot be loaded; a configuration error, so it is thrown at start rather than reported as an issue.</summary>
public sealed class X12SchemaException(string message) : Exception(message);
