namespace InferenceService.Runtime.Repository;

/// <summary>Triton's version policy: exactly one of latest, all or specific. None set means latest 1.</summary>
public sealed record VersionPolicyConfig
{
    public int? Latest { get; init; }

    public object? All { get; init; }

    public IReadOnlyList<long>? Specific { get; init; }

    /// <summary>The versions to serve out of those present on disk.</summary>
    public IReadOnlyList<long> Select(IReadOnlyList<long> available)
    {
        var sorted = available.OrderDescending().ToList();
        if (Specific is not null)
        {
            return sorted.Where(Specific.Contains).ToList();
        }

        if (All is not null)
        {
            return sorted;
        }

        return sorted.Take(Latest ?? 1).ToList();
    }
}
