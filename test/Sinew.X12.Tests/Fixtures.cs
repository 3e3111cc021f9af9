using System.Text;

namespace Sinew.X12.Tests;

/// <summary>Small hand-written interchanges; '*' ':' '~' '^' unless a test swaps them.</summary>
internal static class Fixtures
{
    public const string Isa5010 = "ISA*00*          *00*          *ZZ*BUYER          *ZZ*SUPPLIER       *240131*1200*^*00501*000000001*0*P*:~";
    public const string Isa4010 = "ISA*00*          *00*          *ZZ*BUYER          *ZZ*SUPPLIER       *240131*1200*U*00401*000000001*0*P*:~";

    public const string Po850Body =
        "ST*850*0001~BEG*00*SA*PO-1001**20240131~REF*DP*038~N1*ST*General Hospital*92*0042~N3*1 Main St~N4*Springfield*IL*62701~" +
        "PO1*1*10*EA*9.95**VN*GLOVE-M~PID*F****Nitrile gloves, medium~PO1*2*5*BX*20**VN*MASK-3~CTT*2~SE*11*0001~";

    public static string Po850(string isa = Isa4010, string version = "004010") =>
        isa + $"GS*PO*BUYER*SUPPLIER*20240131*1200*1*X*{version}~" + Po850Body + "GE*1*1~IEA*1*000000001~";

    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    public static X12ValidationResult Validate(string text, X12ValidationOptions? options = null) =>
        new X12Validator(options).Validate(Bytes(text));

    public static string Codes(X12ValidationResult result) =>
        string.Join(",", result.Issues.Where(i => i.Severity == X12IssueSeverity.Error).Select(i => i.Code));
}
