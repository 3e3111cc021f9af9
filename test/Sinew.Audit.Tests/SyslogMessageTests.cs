using System.Text;
using Sinew.Audit.Log;
using Sinew.Audit.Syslog;
using Sinew.Core.Audit;

namespace Sinew.Audit.Tests;

/// <summary>The RFC 5424 text and RFC 5425 framing of one audit record, byte for byte.</summary>
public sealed class SyslogMessageTests
{
    private static AuditEntry Entry(string actor, string outcome = "success", string? reason = null) => new(
        42,
        new AuditRecord
        {
            Action = "message.view-body",
            Actor = actor,
            Role = "operator",
            Target = "message/7",
            Outcome = outcome,
            Reason = reason,
            Source = "10.0.0.9",
            At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123),
        },
        new string('a', 64),
        new string('b', 64));

    [Fact]
    public void Format_Record_IsRfc5424WithChainFieldsAndNoReason()
    {
        var text = SyslogMessage.Format(Entry("alice", reason: "CANARY free text"), 10, "host-1", "sinew", 99);

        Assert.Equal(
            $"<86>1 2026-01-01T00:00:00.123Z host-1 sinew 99 message.view-body [sinew@32473 seq=\"42\" hash=\"{new string('b', 64)}\" prev=\"{new string('a', 64)}\" action=\"message.view-body\" actor=\"alice\" role=\"operator\" outcome=\"success\" target=\"message/7\" source=\"10.0.0.9\"] message.view-body message/7 by alice: success",
            text);
        Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_ActorWithQuoteBackslashAndBracket_EscapedInStructuredData()
    {
        var text = SyslogMessage.Format(Entry("a\"b\\c]d", outcome: "denied"), 4, "h", "sinew", 1);

        Assert.StartsWith("<37>1 ", text, StringComparison.Ordinal); // auth (4) * 8 + notice (5)
        Assert.Contains("actor=\"a\\\"b\\\\c\\]d\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_NonAsciiActor_OctetCountIsUtf8LengthAndMessageStartsWithBom()
    {
        var framed = SyslogMessage.Frame(Entry("zoë"), 10, "h", "sinew", 1);
        var text = Encoding.UTF8.GetString(framed);
        var space = text.IndexOf(' ', StringComparison.Ordinal);

        Assert.Equal(framed.Length - space - 1, int.Parse(text[..space], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("] \uFEFFmessage.view-body message/7 by zoë: success", text, StringComparison.Ordinal);
    }
}
