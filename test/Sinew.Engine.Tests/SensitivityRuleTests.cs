using Sinew.Core.Pipeline;
using Sinew.Engine.Config;

namespace Sinew.Engine.Tests;

/// <summary>
/// "Nothing leaves unclassified": every destination declares maxSensitivity, and a destination below the class of the raw
/// messages it would receive (phi unless the channel declares contentSensitivity) loads only with a de-identification
/// profile or behind a map step. The map and deidentify steps here are stand-ins that only read their settings: the rule
/// looks at the channel's shape, not at what the steps do (their own tests cover that).
/// </summary>
public sealed class SensitivityRuleTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private (SinewConfig? Config, ConfigDiagnostics Diagnostics) Load(string channel)
    {
        _folder.Write("channels/a.yaml", channel);
        var registry = BuiltInConnectors.Register(new ConnectorRegistry())
            .AddStep("map", (settings, _) => Reading(settings, "mapping"))
            .AddStep(ConfigLoader.ProtectionStepType, (settings, _) => Reading(settings, "drop", "tokenize", "maxSensitivity", "phiAction", "deidentify"));
        return ConfigLoader.Load(_folder.Path, _folder.Combine("data"), registry);
    }

    private static IPipelineStep Reading(ConfigSection settings, params string[] keys)
    {
        foreach (var key in keys)
        {
            settings.MarkRead(key);
        }
        return new PassStep();
    }

    [Fact]
    public void RawChannel_DestinationWithoutClass_IsRefusedAtItsLineSayingWhatToAdd()
    {
        var (config, diagnostics) = Load("name: a\nsource: {type: http}\ndestinations:\n  - name: archive\n    type: file\n    path: out\n");

        Assert.Null(config);
        var error = Assert.Single(diagnostics.Errors);
        Assert.EndsWith("a.yaml", error.File, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
        Assert.Equal("destinations[0].maxSensitivity", error.Setting);
        Assert.Contains("destination 'archive' declares no class: add maxSensitivity: phi", error.Message, StringComparison.Ordinal);
        Assert.Contains("a lower class (public, internal, confidential) needs a deidentify profile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MappedChannel_DestinationWithoutClass_IsRefused()
    {
        var (config, diagnostics) = Load("name: a\nsource: {type: http}\nsteps: [{type: map, mapping: m.yaml}]\ndestinations: [{name: erp, type: file, path: out}]\n");

        Assert.Null(config);
        var error = Assert.Single(diagnostics.Errors);
        Assert.Equal("destinations[0].maxSensitivity", error.Setting);
        Assert.Contains("receives canonical records", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public")]
    [InlineData("internal")]
    [InlineData("confidential")]
    public void RawChannel_DestinationBelowPhiWithoutProfile_IsRefused(string level)
    {
        var (config, diagnostics) = Load($"name: a\nsource: {{type: file, path: in}}\ndestinations:\n  - name: analytics\n    type: file\n    path: out\n    maxSensitivity: {level}\n");

        Assert.Null(config);
        var error = Assert.Single(diagnostics.Errors);
        Assert.Equal(7, error.Line);
        Assert.Equal("destinations[0].maxSensitivity", error.Setting);
        Assert.Contains($"destination 'analytics' may receive at most {level}", error.Message, StringComparison.Ordinal);
        Assert.Contains("count as phi", error.Message, StringComparison.Ordinal);
        Assert.Contains("deidentify", error.Message, StringComparison.Ordinal);
        Assert.Contains("contentSensitivity", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("phi")]
    [InlineData("restricted")]
    public void RawChannel_DestinationAtPhiOrAbove_Loads_AndTheChannelCountsItsMessagesAsPhi(string level)
    {
        var (config, diagnostics) = Load($"name: a\nsource: {{type: http}}\ndestinations: [{{name: archive, type: file, path: out, maxSensitivity: {level}}}]\n");

        Assert.Empty(diagnostics.Errors);
        var channel = Assert.Single(config!.Channels);
        Assert.Equal(Canonical.Sensitivity.Phi, channel.ContentSensitivity);
        Assert.Equal(SensitivityPolicyParse(level), channel.Destinations[0].MaxSensitivity);
    }

    [Fact]
    public void RawChannel_DestinationBelowPhiWithItsOwnProfile_Loads()
    {
        var (config, diagnostics) = Load("name: a\nsource: {type: http}\ndestinations:\n  - name: analytics\n    type: file\n    path: out\n    maxSensitivity: internal\n    deidentify: {drop: [PID-5], tokenize: [PID-3.1]}\n");

        Assert.Empty(diagnostics.Errors);
        Assert.NotNull(Assert.Single(config!.Channels).Destinations[0].Protection);
    }

    [Fact]
    public void RawChannel_DestinationBelowPhiWithAnEmptyProfile_IsRefused()
    {
        var (config, diagnostics) = Load("name: a\nsource: {type: http}\ndestinations:\n  - name: analytics\n    type: file\n    path: out\n    maxSensitivity: internal\n    deidentify: {drop: [], tokenize: []}\n");

        Assert.Null(config);
        Assert.Contains(diagnostics.Errors, e => e.Message.Contains("may receive at most internal", StringComparison.Ordinal));
    }

    [Fact]
    public void RawChannel_WithADeidentifyStep_LetsEveryDestinationDeclareLess()
    {
        var (config, diagnostics) = Load("name: a\nsource: {type: http}\nsteps: [{type: deidentify, drop: [PID-5, PID-7]}]\ndestinations:\n  - {name: one, type: file, path: one, maxSensitivity: internal}\n  - {name: two, type: file, path: two, maxSensitivity: public}\n");

        Assert.Empty(diagnostics.Errors);
        Assert.Equal(2, Assert.Single(config!.Channels).Destinations.Count);
    }

    [Fact]
    public void MappedChannel_DestinationBelowPhi_Loads()
    {
        var (config, diagnostics) = Load("name: a\nsource: {type: file, path: in}\nsteps: [{type: map, mapping: m.yaml}]\ndestinations: [{name: erp, type: file, path: out, maxSensitivity: internal}]\n");

        Assert.Empty(diagnostics.Errors);
        Assert.Null(Assert.Single(config!.Channels).ContentSensitivity);
    }

    [Fact]
    public void DeclaredContentClass_LetsDestinationsAtThatClassLoad_AndStillRefusesThoseBelow()
    {
        var (config, diagnostics) = Load("name: po\ncontentSensitivity: internal\nsource: {type: http}\ndestinations:\n  - {name: supplier, type: file, path: supplier, maxSensitivity: internal}\n  - {name: public-feed, type: file, path: feed, maxSensitivity: public}\n");

        Assert.Null(config);
        var error = Assert.Single(diagnostics.Errors);
        Assert.Equal("destinations[1].maxSensitivity", error.Setting);
        Assert.Contains("the channel declares contentSensitivity: internal", error.Message, StringComparison.Ordinal);

        var (loaded, ok) = Load("name: po\ncontentSensitivity: internal\nsource: {type: http}\ndestinations: [{name: supplier, type: file, path: supplier, maxSensitivity: internal}]\n");
        Assert.Empty(ok.Errors);
        Assert.Equal(Canonical.Sensitivity.Internal, Assert.Single(loaded!.Channels).ContentSensitivity);
    }

    [Fact]
    public void ContentClass_OnAMappedChannel_IsRefused()
    {
        var (config, diagnostics) = Load("name: a\ncontentSensitivity: internal\nsource: {type: http}\nsteps: [{type: map, mapping: m.yaml}]\ndestinations: [{name: erp, type: file, path: out, maxSensitivity: internal}]\n");

        Assert.Null(config);
        var error = Assert.Single(diagnostics.Errors);
        Assert.Equal("contentSensitivity", error.Setting);
        Assert.Contains("remove contentSensitivity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContentClass_NotAClass_IsRefused()
    {
        var (config, diagnostics) = Load("name: a\ncontentSensitivity: secret\nsource: {type: http}\ndestinations: [{name: out, type: file, path: out, maxSensitivity: phi}]\n");

        Assert.Null(config);
        Assert.Equal("contentSensitivity", Assert.Single(diagnostics.Errors).Setting);
    }

    private static Canonical.Sensitivity SensitivityPolicyParse(string text) =>
        Canonical.SensitivityPolicy.TryParse(text, out var level) ? level : throw new ArgumentException(text);

    public void Dispose() => _folder.Dispose();

    /// <summary>A step that lets every message through unchanged.</summary>
    private sealed class PassStep : IPipelineStep
    {
        public ValueTask<StepResult> ExecuteAsync(PipelineContext context, CancellationToken cancellationToken) => ValueTask.FromResult(StepResult.Continue);
    }
}
