using System.Text;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Reads a <c>text,label</c> CSV per RFC 4180: a header row naming (at least) the columns <c>text</c> and
/// <c>label</c> in any order, comma-separated fields, fields in double quotes may hold commas, line breaks and
/// doubled quotes (<c>""</c>); CRLF or LF line ends. Blank lines are skipped.
/// </summary>
internal static class TextCsv
{
    public static LabelledItems Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new TrainingDataException($"{path} does not exist: expected a CSV file with text,label columns.");
        }

        var rows = Parse(File.ReadAllText(path, Encoding.UTF8), path);
        if (rows.Count == 0)
        {
            throw new TrainingDataException($"{path} is empty: expected a header row with text,label columns.");
        }

        var header = rows[0].Row.Select(h => h.Trim()).ToList();
        var textColumn = header.FindIndex(h => h.Equals("text", StringComparison.OrdinalIgnoreCase));
        var labelColumn = header.FindIndex(h => h.Equals("label", StringComparison.OrdinalIgnoreCase));
        if (textColumn < 0 || labelColumn < 0)
        {
            throw new TrainingDataException($"{path}: the header row must name the columns 'text' and 'label'; it has {string.Join(", ", header.Select(h => $"'{h}'"))}.");
        }

        var texts = new List<string>();
        var labelNames = new List<string>();
        foreach (var (line, row) in rows.Skip(1))
        {
            if (row.Count != header.Count)
            {
                throw new TrainingDataException($"{path} line {line}: {row.Count} fields, but the header has {header.Count}.");
            }

            var label = row[labelColumn].Trim();
            if (label.Length == 0)
            {
                throw new TrainingDataException($"{path} line {line}: the label is empty.");
            }

            texts.Add(row[textColumn]);
            labelNames.Add(label);
        }

        var labels = labelNames.Distinct().Order(StringComparer.Ordinal).ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        return new LabelledItems(texts, [.. labelNames.Select(l => index[l])], labels);
    }

    /// <summary>Rows with the 1-based line each starts on.</summary>
    public static List<(int Line, List<string> Row)> Parse(string content, string path)
    {
        var rows = new List<(int, List<string>)>();
        var row = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowLine = 1;
        var quoted = false;
        var fieldStarted = false;
        var closed = false;
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < content.Length && content[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                    closed = true;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            if (closed && c is not (',' or '\r' or '\n'))
            {
                throw new TrainingDataException($"{path} line {line}: text after a closing quote; expected a comma or a line end.");
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !fieldStarted:
                    quoted = fieldStarted = true;
                    break;
                case '"':
                    throw new TrainingDataException($"{path} line {line}: a quote inside an unquoted field; quote the whole field and double inner quotes (\"\").");
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    fieldStarted = closed = false;
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
            throw new TrainingDataException($"{path} line {rowLine}: a quoted field is never closed.");
        }

        EndRow();
        return rows;

        void EndRow()
        {
            if (row.Count == 0 && field.Length == 0 && !fieldStarted)
            {
                return;
            }

            row.Add(field.ToString());
            rows.Add((rowLine, row));
            row = [];
            field.Clear();
            fieldStarted = closed = false;
        }
    }
}
