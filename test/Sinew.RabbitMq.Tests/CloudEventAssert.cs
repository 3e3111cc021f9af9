using System.Text.Json;

namespace Sinew.RabbitMq.Tests;

/// <summary>Reads a published message back as a CloudEvent and checks what every event must carry.</summary>
internal static class CloudEventAssert
{
    public static JsonElement Structured(RabbitMqReceived message)
    {
        Assert.Equal("application/cloudevents+json", message.Properties.ContentType);
        Assert.True(message.Properties.Persistent, "the event must be published persistent (delivery mode 2)");
        using var document = JsonDocument.Parse(message.Body);
        var cloudEvent = document.RootElement.Clone();
        Assert.Equal("1.0", cloudEvent.GetProperty("specversion").GetString());
        Assert.Equal(cloudEvent.GetProperty("id").GetString(), message.Properties.MessageId);
        Assert.Equal(cloudEvent.GetProperty("type").GetString(), message.Properties.Type);
        return cloudEvent;
    }
}
