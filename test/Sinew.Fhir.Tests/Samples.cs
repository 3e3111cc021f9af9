using System.Text;

namespace Sinew.Fhir.Tests;

/// <summary>FHIR bodies the tests send: a valid SupplyDelivery and variations of it.</summary>
internal static class Samples
{
    public static string Delivery(string quantity = "2", string code = "SUP-12345", string extra = "") =>
        $$"""
        {
          "resourceType": "SupplyDelivery",
          "status": "completed",
          "suppliedItem": {
            "quantity": { "value": {{quantity}}, "unit": "u" },
            "itemCodeableConcept": { "coding": [ { "system": "http://example.org/items", "code": "{{code}}" } ] }
          },
          "occurrenceDateTime": "2026-11-25T10:15:00+01:00",
          "destination": { "reference": "Location/ICU" }{{extra}}
        }
        """;

    public const string DeliveryWithoutQuantity = """
        {"resourceType":"SupplyDelivery","status":"completed",
         "suppliedItem":{"itemCodeableConcept":{"coding":[{"code":"SUP-1"}]}},
         "occurrenceDateTime":"2026-11-25","destination":{"reference":"Location/ICU"}}
        """;

    public const string DeliveryXml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <SupplyDelivery xmlns="http://hl7.org/fhir">
          <status value="completed"/>
          <suppliedItem>
            <quantity><value value="3"/></quantity>
            <itemCodeableConcept><coding><code value="SUP-777"/></coding></itemCodeableConcept>
          </suppliedItem>
          <occurrenceDateTime value="2026-11-25T10:15:00Z"/>
          <destination><identifier><value value="WARD-3"/></identifier></destination>
        </SupplyDelivery>
        """;

    public static string Bundle(string type, params string[] resources) =>
        $$"""{"resourceType":"Bundle","type":"{{type}}","entry":[{{string.Join(",", resources.Select(r => $$"""{"request":{"method":"POST","url":"SupplyDelivery"},"resource":{{r}}}"""))}}]}""";

    public static string DeepJson(int depth)
    {
        var text = new StringBuilder("""{"resourceType":"SupplyDelivery","status":"completed","extension":""");
        for (var i = 0; i < depth; i++)
        {
            text.Append("""[{"url":"http://example.org/x","extension":""");
        }
        text.Append("[]");
        for (var i = 0; i < depth; i++)
        {
            text.Append("}]");
        }
        return text.Append('}').ToString();
    }

    public static string DeepXml(int depth)
    {
        var text = new StringBuilder("""<SupplyDelivery xmlns="http://hl7.org/fhir"><status value="completed"/>""");
        for (var i = 0; i < depth; i++)
        {
            text.Append("""<extension url="http://example.org/x">""");
        }
        for (var i = 0; i < depth; i++)
        {
            text.Append("</extension>");
        }
        return text.Append("</SupplyDelivery>").ToString();
    }

    public const string XmlWithDtd = """
        <?xml version="1.0"?>
        <!DOCTYPE SupplyDelivery [ <!ELEMENT SupplyDelivery ANY> ]>
        <SupplyDelivery xmlns="http://hl7.org/fhir"><status value="completed"/></SupplyDelivery>
        """;

    public const string XmlExternalEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE SupplyDelivery [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
        <SupplyDelivery xmlns="http://hl7.org/fhir"><status value="&xxe;"/></SupplyDelivery>
        """;

    public const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <SupplyDelivery xmlns="http://hl7.org/fhir"><status value="&lol9;"/></SupplyDelivery>
        """;
}
