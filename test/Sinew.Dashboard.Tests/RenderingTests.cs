using System.Text;
using Sinew.Host.Dashboard;

namespace Sinew.Dashboard.Tests;

/// <summary>The pieces under the pages: encoding by default, line endings of an edit, throughput buckets.</summary>
public sealed class RenderingTests
{
    [Fact]
    public void HtmlWriter_Hole_IsEncodedAndLiteralMarkupIsNot()
    {
        var value = "<img src=x onerror=\"alert('x')\"> & more";

        var html = new HtmlWriter().Add($"<td title=\"{value}\">{value}</td>").ToString();

        Assert.Equal("<td title=\"&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; more\">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; more</td>", html);
    }

    [Fact]
    public void HtmlWriter_HtmlContentHole_IsWrittenAsIs()
    {
        var inner = new HtmlWriter().Add($"<b>{"a<b"}</b>").ToContent();

        Assert.Equal("<p><b>a&lt;b</b></p>", new HtmlWriter().Add($"<p>{inner}</p>").ToString());
    }

    [Theory]
    [InlineData("MSH|a\rPID|b\r", "MSH|x\r\nPID|y\r\n", "MSH|x\rPID|y\r")]
    [InlineData("a\r\nb", "x\ny", "x\r\ny")]
    [InlineData("a\nb", "x\r\ny\rz", "x\ny\nz")]
    public void EditPage_Normalize_WritesLineBreaksBackAsTheOriginalHadThem(string original, string submitted, string expected)
    {
        var bytes = EditPage.Normalize(submitted, Encoding.UTF8.GetBytes(original));

        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void ThroughputHistory_Samples_BecomeMessagesPerMinute()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var history = new ThroughputHistory(time);
        history.Record([("orders", 100)]);
        Assert.Null(history.PerMinute("orders"));

        time.Advance(TimeSpan.FromSeconds(30));
        history.Record([("orders", 130)]);
        time.Advance(TimeSpan.FromMinutes(2));
        history.Record([("orders", 125)]);  // retention pruned more than arrived: not negative traffic
        time.Advance(TimeSpan.FromSeconds(10));
        history.Record([("orders", 135)]);

        var perMinute = history.PerMinute("orders")!;
        Assert.Equal(ThroughputHistory.Buckets, perMinute.Length);
        Assert.Equal(10, perMinute[^1]);
        Assert.Equal(30, perMinute[^3]);
        Assert.Equal(40, perMinute.Sum());
    }

    [Fact]
    public void ThroughputHistory_OldSamples_LeaveTheWindow()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var history = new ThroughputHistory(time);
        history.Record([("orders", 0)]);
        time.Advance(TimeSpan.FromMinutes(1));
        history.Record([("orders", 500)]);
        time.Advance(TimeSpan.FromMinutes(90));
        history.Record([("orders", 500)]);

        Assert.Equal(0, history.PerMinute("orders")!.Sum());
    }

    [Theory]
    [InlineData("not well-formed JSON at line 1, byte 18: '\"' is invalid after a value.", "not well-formed JSON at line #, byte #: '…' is invalid after a value.")]
    [InlineData("refused: HTTP 400 Bad Request", "refused: HTTP 400 Bad Request")]
    [InlineData("gave up after 10 attempts: timeout", "gave up after # attempts: timeout")]
    public void ExceptionsPage_ReasonPattern_GroupsReasonsThatDifferOnlyInPositions(string reason, string pattern) =>
        Assert.Equal(pattern, ExceptionsPage.ReasonPattern(reason));

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
