using System.Reflection;
using System.Runtime.Loader;
using Sinew.Core.Pipeline;

namespace Sinew.Engine.Config;

/// <summary>
/// User assemblies from the configured extensions folder, and the <see cref="IPipelineStep"/> types they hold,
/// found by full type name.
/// </summary>
public sealed class ExtensionCatalog
{
    private readonly Dictionary<string, Type> _steps = new(StringComparer.Ordinal);

    public static ExtensionCatalog Empty { get; } = new();

    public IReadOnlyCollection<string> StepTypeNames => _steps.Keys;

    /// <summary>Loads every <c>*.dll</c> in <paramref name="folder"/>; problems are returned, not thrown.</summary>
    public static ExtensionCatalog Load(string folder, List<string> problems)
    {
        var catalog = new ExtensionCatalog();
        if (!Directory.Exists(folder))
        {
            return catalog;
        }
        foreach (var path in Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal))
        {
            try
            {
                var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(path));
                foreach (var type in SafeTypes(assembly))
                {
                    if (type is { IsClass: true, IsAbstract: false, IsPublic: true } && typeof(IPipelineStep).IsAssignableFrom(type) && type.FullName is { } name)
                    {
                        catalog._steps[name] = type;
                    }
                }
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or IOException)
            {
                problems.Add($"{path}: not a loadable .NET assembly ({ex.GetType().Name})");
            }
        }
        return catalog;
    }

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }

    /// <summary>Creates the step <paramref name="typeName"/> with its settings, or explains why it can't.</summary>
    public IPipelineStep? CreateStep(string typeName, IReadOnlyDictionary<string, string> settings, out string? error)
    {
        error = null;
        if (!_steps.TryGetValue(typeName, out var type))
        {
            error = $"no extension step '{typeName}' in the extensions folder (known: {(_steps.Count == 0 ? "none" : string.Join(", ", _steps.Keys))})";
            return null;
        }
        try
        {
            var withSettings = type.GetConstructor([typeof(IReadOnlyDictionary<string, string>)]);
            if (withSettings is not null)
            {
                return (IPipelineStep)withSettings.Invoke([settings]);
            }
            if (type.GetConstructor(Type.EmptyTypes) is { } empty)
            {
                return (IPipelineStep)empty.Invoke(null);
            }
            error = $"'{typeName}' needs a public constructor taking nothing or IReadOnlyDictionary<string, string>";
        }
        catch (TargetInvocationException ex)
        {
            error = $"'{typeName}' failed to start: {ex.InnerException?.Message}";
        }
        return null;
    }
}
