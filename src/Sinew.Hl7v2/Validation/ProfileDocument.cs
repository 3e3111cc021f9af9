namespace Sinew.Hl7v2;

/// <summary>The YAML shape of a profile file (see docs/hl7v2.md).</summary>
internal sealed class ProfileDocument
{
    public List<string> Messages { get; set; } = [];

    public string? Description { get; set; }

    public List<StructureDocument> Structure { get; set; } = [];

    public Dictionary<string, List<FieldDocument>> Fields { get; set; } = [];
}

/// <summary>The YAML shape of a structure element.</summary>
internal sealed class StructureDocument
{
    public string? Segment { get; set; }

    public string? Group { get; set; }

    public bool Optional { get; set; }

    public bool Repeating { get; set; }

    public List<StructureDocument> Items { get; set; } = [];
}

/// <summary>The YAML shape of a field rule.</summary>
internal sealed class FieldDocument
{
    public int Field { get; set; }

    public int? Component { get; set; }

    public string Usage { get; set; } = "O";

    public string? Type { get; set; }

    public int? MaxLength { get; set; }

    public int? MaxRepetitions { get; set; }

    public List<string> Table { get; set; } = [];
}
