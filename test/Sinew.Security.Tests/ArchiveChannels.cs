namespace Sinew.Security.Tests;

/// <summary>The channels the secured test instances share: http channels and a fhir SupplyDelivery channel, each archiving to a folder.</summary>
internal static class ArchiveChannels
{
    public static void Write(TempFolder config, params string[] httpChannels)
    {
        foreach (var name in httpChannels)
        {
            config.Write($"channels/{name}.yaml", $"""
                name: {name}
                source:
                  type: http
                destinations:
                  - name: archive
                    type: file
                    maxSensitivity: phi
                    path: out/{name}
                """);
        }
        config.Write("channels/supply.yaml", """
            name: supply
            source:
              type: fhir
              resources: [SupplyDelivery]
            destinations:
              - name: archive
                type: file
                maxSensitivity: phi
                path: out/supply
            """);
    }
}
