using System.Text;

namespace InferenceService.Training.Datasets;

/// <summary>The SpamAssassin corpus as a text,label CSV for the text comparison: the first N messages of each label, RFC 4180 quoted.</summary>
internal static class SpamCsv
{
    public static void Write(IReadOnlyList<SpamMessage> corpus, int perLabel, string path)
    {
        var csv = new StringBuilder("text,label\r\n");
        foreach (var isSpam in new[] { false, true })
        {
            foreach (var message in corpus.Where(m => m.IsSpam == isSpam).Take(perLabel))
            {
                csv.Append('"').Append(message.Text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",")
                    .Append(isSpam ? "spam" : "ham").Append("\r\n");
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, csv.ToString(), new UTF8Encoding(false));
    }
}
