using InferenceService.Runtime.Pipelines;

namespace InferenceService.Bench;

/// <summary>
/// Issue 17's mixed-length text workload: sentences whose MiniLM token counts ([CLS] and [SEP] included) follow a fixed
/// log-uniform distribution over 8–256 (seed 17: many short sentences, a tail of long ones, median about 45). Each
/// sentence is n − 2 words drawn from MiniLM's vocabulary entries that are whole lower-case words, each one WordPiece
/// token, so that it encodes to exactly n tokens; every sentence is checked against the service's own tokenizer when
/// the set is built, and a mismatch stops the bench.
/// </summary>
internal static class MixedText
{
    public const int MinTokens = 8;
    public const int MaxTokens = 256;
    public const int Seed = 17;
    public const int DefaultCount = 1024;

    /// <param name="minilmVersionDir">models/minilm/1 (its vocab.txt).</param>
    public static IReadOnlyList<MixedSentence> Build(string minilmVersionDir, int count = DefaultCount)
    {
        var vocab = Path.Combine(minilmVersionDir, TextTokenizer.VocabFileName);
        var words = File.ReadLines(vocab).Where(w => w.Length >= 3 && w.All(c => c is >= 'a' and <= 'z')).ToList();
        using var stream = File.OpenRead(vocab);
        var tokenizer = new TextTokenizer(stream);
        var random = new Random(Seed);
        var sentences = new List<MixedSentence>(count);
        for (var i = 0; i < count; i++)
        {
            var tokens = (int)Math.Round(Math.Exp(Math.Log(MinTokens) + (random.NextDouble() * (Math.Log(MaxTokens) - Math.Log(MinTokens)))));
            var text = string.Join(' ', Enumerable.Range(0, tokens - 2).Select(_ => words[random.Next(words.Count)]));
            var encoded = tokenizer.Encode(text, TextTokenizer.MaxTokensLimit);
            if (encoded.Ids.Count != tokens)
            {
                throw new InvalidOperationException($"mixed sentence {i} was meant to be {tokens} tokens but encodes to {encoded.Ids.Count}: \"{text}\"");
            }

            sentences.Add(new MixedSentence(text, encoded.Ids.ToArray()));
        }

        return sentences;
    }

    /// <summary>The sentences sorted by length and cut into batches of at most <paramref name="maxRows"/> rows and rows × longest ≤ <paramref name="budget"/>: the ideal a batcher could form.</summary>
    public static List<MixedSentence[]> IdealBatches(IReadOnlyList<MixedSentence> sentences, int maxRows, long budget)
    {
        var batches = new List<MixedSentence[]>();
        var current = new List<MixedSentence>();
        foreach (var sentence in sentences.OrderBy(s => s.Ids.Length))
        {
            // Sorted ascending, so the newcomer is the batch's longest.
            if (current.Count > 0 && (current.Count == maxRows || (long)(current.Count + 1) * sentence.Ids.Length > budget))
            {
                batches.Add([.. current]);
                current.Clear();
            }

            current.Add(sentence);
        }

        if (current.Count > 0)
        {
            batches.Add([.. current]);
        }

        return batches;
    }
}

/// <summary>One workload sentence and its MiniLM token ids (what the service's tokenizer makes of it).</summary>
internal sealed record MixedSentence(string Text, int[] Ids);
