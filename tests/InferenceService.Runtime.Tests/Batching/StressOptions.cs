namespace InferenceService.Runtime.Tests.Batching;

/// <summary>What <see cref="BatchingStressHarness"/> sends. Lengths are per item along the inputs' -1 dim.</summary>
public sealed record StressOptions
{
    public int Requests { get; init; } = 2000;

    /// <summary>Each request carries 1..MaxRows items (capped at max_batch_size).</summary>
    public int MaxRows { get; init; } = 3;

    public int MinLength { get; init; } = 1;

    public int MaxLength { get; init; } = 32;

    /// <summary>Share of requests cancelled: half right after submission (while queued), half after the executor is let go (racing their batch).</summary>
    public double CancelFraction { get; init; } = 0.1;

    /// <summary>Token ids are drawn from 1..VocabularySize-1.</summary>
    public int VocabularySize { get; init; } = 30_000;

    public int Seed { get; init; } = 1234;

    /// <summary>Relative tolerance for FP32 outputs (0 for a deterministic fake; a real model's batched kernels may differ slightly).</summary>
    public float Tolerance { get; init; }

    /// <summary>How long all answers may take before the run counts the rest as unanswered.</summary>
    public TimeSpan AnswerBound { get; init; } = TimeSpan.FromSeconds(30);
}
