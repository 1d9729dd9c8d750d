namespace InferenceService.Tests.Shared;

/// <summary>
/// Texts and the MiniLM token ids both the serving path (the text embedder built from models/minilm's config) and the
/// training module's MiniLmEmbedder must give them: accented Latin (the same ids as without accents), Greek and
/// Cyrillic with accents, CJK and Hangul, emoji (BertTokenizer drops them), mixed scripts, a combining accent.
/// </summary>
internal static class TokenisationParityCases
{
    public static readonly (string Text, int[] Ids)[] All =
    [
        ("Crème brûlée à São Paulo, Ångström and naïve façades", [101, 13675, 21382, 7987, 9307, 2063, 1037, 7509, 9094, 1010, 17076, 15687, 1998, 15743, 28708, 102]),
        ("creme brulee a sao paulo, angstrom and naive facades", [101, 13675, 21382, 7987, 9307, 2063, 1037, 7509, 9094, 1010, 17076, 15687, 1998, 15743, 28708, 102]),
        ("Ελλάδα και Μόσχα: Москва́, Ёлка и йогурт", [101, 1159, 29727, 29727, 14608, 29722, 14608, 1164, 14608, 18199, 1166, 29730, 29733, 29737, 14608, 1024, 1191, 14150, 29747, 23925, 25529, 10260, 1010, 1185, 29436, 28598, 1188, 1188, 14150, 29741, 29748, 16856, 22919, 102]),
        ("日本語のテキストと中文，한국어", [101, 1864, 1876, 1950, 1671, 30239, 30227, 30233, 30240, 30192, 1746, 1861, 1989, 100, 102]),
        ("emoji 😀 between words 🎉! family 👩‍👩‍👧", [101, 7861, 29147, 2072, 2090, 2616, 999, 2155, 102]),
        ("Việt Nam, English, עברית and العربية in one line", [101, 19710, 15125, 1010, 2394, 1010, 1259, 29789, 29811, 29796, 29813, 1998, 1270, 23673, 29830, 17149, 29816, 14498, 19433, 1999, 2028, 2240, 102]),
        ("cafe\u0301 with a combining accent", [101, 7668, 2007, 1037, 11566, 9669, 102]),
    ];
}
