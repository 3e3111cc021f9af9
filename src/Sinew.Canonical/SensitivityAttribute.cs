namespace Sinew.Canonical;

/// <summary>The sensitivity class of a canonical field, read at run time by the PHI policy and written into the JSON schema.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class SensitivityAttribute(Sensitivity level) : Attribute
{
    public Sensitivity Level { get; } = level;
}

/// <summary>The name and version a canonical record carries in its <c>schema</c> field, e.g. <c>InventoryConsumption/1</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CanonicalSchemaAttribute(string name, int version) : Attribute
{
    public string Name { get; } = name;

    public int Version { get; } = version;

    public string Id => $"{Name}/{Version}";
}
