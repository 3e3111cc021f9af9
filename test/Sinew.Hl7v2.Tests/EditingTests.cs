using System.Text;

namespace Sinew.Hl7v2.Tests;

public sealed class EditingTests
{
    private const string Original = "MSH|^~\\&|A|B|C|D|20240131||ADT^A08|1|P|2.5.1\nEVN|A08\nPID|1||123^^^H^MR||DOE^JOHN||19800101|M\nPV1|1|I\n";

    private static Hl7Message Parse(string text) => Hl7Message.Parse(Encoding.UTF8.GetBytes(text)).Message!;

    [Fact]
    public void Set_OneField_RewritesOnlyThatSegmentAndKeepsTerminators()
    {
        var message = Parse(Original);

        message.Set(Hl7Path.Parse("PID-5.2"), "JANE");

        Assert.Equal(Original.Replace("DOE^JOHN", "DOE^JANE", StringComparison.Ordinal), Encoding.UTF8.GetString(message.ToArray()));
    }

    [Fact]
    public void Set_BeyondTheLastField_CreatesEmptyFieldsRepetitionsAndComponents()
    {
        var message = Parse(Original);

        message.Set(Hl7Path.Parse("PV1-5[2].3.2"), "x");

        Assert.Equal("PV1|1|I|||~^^&x", message[3].ToString());
        Assert.Equal("x", message.Get(Hl7Path.Parse("PV1-5[2].3.2")).ToString());
    }

    [Fact]
    public void Set_TextWithDelimiters_IsEscapedAndReadsBack()
    {
        var message = Parse(Original);

        message.Set(Hl7Path.Parse("PID-5.1"), "O|Brien^&~\\");

        Assert.Contains(@"O\F\Brien\S\\T\\R\\E\", message[2].ToString(), StringComparison.Ordinal);
        Assert.Equal("O|Brien^&~\\", message.Get(Hl7Path.Parse("PID-5.1")).ToString());
    }

    [Fact]
    public void AddRepetition_AppendsToTheField()
    {
        var message = Parse(Original);

        var position = message.AddRepetition(Hl7Path.Parse("PID-3.1"), "456");

        Assert.Equal(2, position);
        Assert.Equal("123^^^H^MR~456", message.Get(Hl7Path.Parse("PID-3")).ToString());
    }

    [Fact]
    public void RemoveRepetition_DropsItAndItsSeparator()
    {
        var message = Parse("MSH|^~\\&|A|B|C|D|1||ADT^A08|1|P|2.5.1\rPID|1||a~b~c\r");

        Assert.True(message.RemoveRepetition(Hl7Path.Parse("PID-3"), 2));
        Assert.Equal("a~c", message.Get(Hl7Path.Parse("PID-3")).ToString());
        Assert.True(message.RemoveRepetition(Hl7Path.Parse("PID-3"), 1));
        Assert.Equal("c", message.Get(Hl7Path.Parse("PID-3")).ToString());
        Assert.False(message.RemoveRepetition(Hl7Path.Parse("PID-3"), 5));
    }

    [Fact]
    public void AddInsertRemoveSegments_KeepOtherBytes()
    {
        var message = Parse(Original);

        message.InsertSegment(3, "PD1");
        message.Set(Hl7Path.Parse("PD1-4"), "DR");
        var nte = message.AddSegment("NTE");
        message.Set(Hl7Path.Parse("NTE-3"), "note");
        message.RemoveSegment(1);

        Assert.Equal(5, nte);
        Assert.Equal("MSH|^~\\&|A|B|C|D|20240131||ADT^A08|1|P|2.5.1\nPID|1||123^^^H^MR||DOE^JOHN||19800101|M\nPD1||||DR\rPV1|1|I\nNTE|||note\r",
            Encoding.UTF8.GetString(message.ToArray()));
    }

    [Fact]
    public void Set_NextOccurrenceOfAMissingSegment_AppendsIt_FurtherOccurrenceThrows()
    {
        var message = Parse(Original);

        message.Set(Hl7Path.Parse("OBX-5"), "v");

        Assert.Equal("OBX|||||v", message[4].ToString());
        Assert.Throws<ArgumentException>(() => message.Set(Hl7Path.Parse("OBX[3]-5"), "v"));
    }

    [Fact]
    public void Set_MshDelimiterFields_Throws()
    {
        var message = Parse(Original);

        Assert.Throws<ArgumentException>(() => message.Set(Hl7Path.Parse("MSH-2"), "^~\\&"));
        Assert.Throws<ArgumentException>(() => message.Set(Hl7Path.Parse("MSH-1"), "|"));
    }

    [Fact]
    public void Create_NewMessage_HasAParseableHeader()
    {
        var message = Hl7Message.Create("DFT^P03^DFT_P03", "C1", "2.5.1", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)));
        message.Set(Hl7Path.Parse("EVN-1"), "P03");
        message.Set(Hl7Path.Parse("FT1-7.1"), "SUPPLY-42");

        var bytes = message.ToArray();
        var parsed = Hl7Message.Parse(bytes);

        Assert.True(parsed.Succeeded);
        Assert.Equal("MSH|^~\\&|||||20240102030405-0500||DFT^P03^DFT_P03|C1|P|2.5.1\rEVN|P03\rFT1|||||||SUPPLY-42\r", Encoding.ASCII.GetString(bytes));
        Assert.Equal("SUPPLY-42", parsed.Message!.Get(Hl7Path.Parse("FT1-7.1")).ToString());
    }

    [Fact]
    public void Set_Msh18_ChangesHowTextIsEncoded()
    {
        var message = Hl7Message.Create("ADT^A01", "1");
        message.Set(Hl7Path.Parse("PID-5.1"), "é");
        Assert.Equal(@"PID|||||\XC3A9\", message[1].ToString());

        message.Set(Hl7Path.Parse("MSH-18"), "UNICODE UTF-8");
        message.Set(Hl7Path.Parse("PID-5.1"), "é");

        Assert.Equal("PID|||||é", message[1].ToString());
    }

    [Fact]
    public void ReplaceSegment_KeepsItsTerminator_AndRefusesLineBreaksOrAnotherMshHeader()
    {
        var message = Parse(Original);

        message.ReplaceSegment(3, "PV1|1|O|W1"u8);

        Assert.Equal(Original.Replace("PV1|1|I\n", "PV1|1|O|W1\n", StringComparison.Ordinal), Encoding.UTF8.GetString(message.ToArray()));
        Assert.Throws<ArgumentException>(() => message.ReplaceSegment(3, "PV1|1\rZZZ|1"u8));
        Assert.Throws<ArgumentException>(() => message.ReplaceSegment(0, "MSH*^~\\&*A"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => message.InsertSegmentBytes(0, "ZZZ|1"u8));
    }
}
