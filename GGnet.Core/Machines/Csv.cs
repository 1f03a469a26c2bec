using System.Text;

namespace GGnet.Core.Machines;

/// <summary>
/// RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled. A field a spreadsheet would run
/// as a formula (=, +, -, @ first) is written behind a quote mark, so an exported list can't attack whoever opens it.
/// </summary>
public static class Csv
{
    /// <summary>The rows of a CSV text with the line each starts on; blank lines are skipped.</summary>
    public static IReadOnlyList<(int Line, IReadOnlyList<string> Fields)> Parse(string text)
    {
        var rows = new List<(int, IReadOnlyList<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        var rowLine = 1;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRow();
                    line++;
                    rowLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }
        if (quoted)
        {
            throw new FormatException($"Line {rowLine}: a quoted field is never closed.");
        }
        EndRow();
        return rows;

        void EndRow()
        {
            if (fieldStarted || field.Length > 0 || fields.Count > 0)
            {
                fields.Add(field.ToString());
                rows.Add((rowLine, fields.ToList()));
            }
            fields.Clear();
            field.Clear();
            fieldStarted = false;
        }
    }

    public static string Row(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    private static string Field(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@')
        {
            text = "'" + text;
        }
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
