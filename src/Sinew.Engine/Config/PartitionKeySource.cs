namespace Sinew.Engine.Config;

/// <summary>The kinds of <see cref="PartitionKeyExpression"/>.</summary>
public enum PartitionKeySource
{
    None = 0,
    Header = 1,
    Json = 2,
    Fixed = 3,
}
