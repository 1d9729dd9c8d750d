using System.Globalization;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Reads a MovieLens-format ratings file (user item rating timestamp; tab, space or "::" separated). Every rating
/// counts as an implicit interaction; ids are remapped to dense 0-based ids and the original item ids are kept
/// as item names (items.txt), so callers can map back.
/// </summary>
internal static class MovieLensRatings
{
    public static Interactions Load(string path)
    {
        var rows = new List<(string User, string Item, long Time)>();
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Replace("::", "\t", StringComparison.Ordinal).Split(['\t', ' ', ','], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 4 || !long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var time))
            {
                continue; // header or malformed line
            }

            rows.Add((parts[0], parts[1], time));
        }

        var userIds = new Dictionary<string, int>();
        var itemIds = new Dictionary<string, int>();
        var itemNames = new List<string>();
        var histories = new List<List<(long Time, int Item)>>();
        foreach (var (user, item, time) in rows)
        {
            if (!userIds.TryGetValue(user, out var u))
            {
                userIds[user] = u = userIds.Count;
                histories.Add([]);
            }

            if (!itemIds.TryGetValue(item, out var i))
            {
                itemIds[item] = i = itemIds.Count;
                itemNames.Add(item);
            }

            histories[u].Add((time, i));
        }

        // Users with fewer than two interactions cannot give both a training and a test item.
        var byUser = histories.Select(h => h.OrderBy(p => p.Time).Select(p => p.Item).Distinct().ToArray()).ToList();
        if (byUser.Count(h => h.Length >= 2) == 0)
        {
            throw new InvalidDataException($"{path}: no user has two or more interactions.");
        }

        return new Interactions(userIds.Count, itemIds.Count, byUser, $"MovieLens-format ratings file {Path.GetFileName(path)} ({rows.Count} ratings)", itemNames);
    }
}
