namespace InferenceService.Tests.Reliability;

/// <summary>
/// One hostile HTTP request; <paramref name="Route"/> is the route template it aims at (coverage is checked).
/// <paramref name="ProtocolLevel"/>: Kestrel refuses it while parsing the request line (e.g. a NUL in the path), before
/// any endpoint runs, with a bare 400 and no body; only the status is checked.
/// </summary>
public sealed record HostileCase(string Route, string Name, Func<HttpRequestMessage> Build, bool ProtocolLevel = false)
{
    public override string ToString() => $"{Route} — {Name}";
}
