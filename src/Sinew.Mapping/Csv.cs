using System.Text;

namespace Sinew.Mapping;

/// <summary>RFC 4180 CSV: a header row, quoted fields with doubled quotes, CR LF or LF; a leading BOM is skipped.</summary>
public static class Csv
{
    public static List<Dictionary<string, string>> ReadRows(string text, out IReadOnlyList<string> header)
    {
        var records = ReadRecords(text);
        if (records.Count == 0)
        {
            header = [];
            return [];
        }
        header = records[0].Select(h => h.Trim()).ToList();
        var rows = new List<Dictionary<string, string>>(records.Count - 1);
        for (var r = 1; r < records.Count; r++)
        {
            var record = records[r];
            if (record is [""])
            {
                continue; // blank line
            }
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var c = 0; c < header.Count; c++)
            {
                row[header[c]] = c < record.Count ? record[c].Trim() : "";
            }
            rows.Add(row);
        }
        return rows;
    }

    public static List<List<string>> ReadRecords(string text)
    {
        var records = new List<List<string>>();
        var field = new StringBuilder();
        var record = new List<string>();
        var position = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var quoted = false;
        var any = false;
        while (position < text.Length)
        {
            var c = text[position++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (position < text.Length && text[position] == '"')
                    {
                        field.Append('"');
                        position++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    record.Add(field.ToString());
                    field.Clear();
                    records.Add(record);
                    record = [];
                    any = false;
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }
        if (quoted)
        {
            throw new FormatException("a quoted CSV field is not closed");
        }
        if (any || field.Length > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }
        return records;
    }
}
