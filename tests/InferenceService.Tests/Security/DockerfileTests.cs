using System.Text.RegularExpressions;

namespace InferenceService.Tests.Security;

/// <summary>
/// The Dockerfile read statically (no Docker engine needed): each runtime stage runs as a non-root user, declares the
/// paths it writes, and no layer carries a secret (no ENV/ARG that names a key, secret, password or token with a
/// value; no COPY/ADD of .env files or keys, and a build context that leaves them out).
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] RuntimeStages = ["cpu", "cuda"];

    [Fact]
    public void RuntimeStages_UserAndWritablePaths_NonRootAndTmpDeclared()
    {
        var stages = Stages();

        foreach (var name in RuntimeStages)
        {
            var stage = stages[name];
            var user = stage.LastOrDefault(i => i.Keyword == "USER").Arguments;
            Assert.False(string.IsNullOrEmpty(user), $"stage {name} sets no USER: it would run as root");
            var account = user.Split(':')[0];
            Assert.False(account is "root" or "0", $"stage {name} runs as {user}");
            var volumes = string.Join(' ', stage.Where(i => i.Keyword == "VOLUME").Select(i => i.Arguments));
            Assert.Contains("\"/tmp\"", volumes, StringComparison.Ordinal);
            Assert.Equal("USER", stage.Last(i => i.Keyword is "USER" or "RUN").Keyword);
        }
    }

    [Fact]
    public void AllStages_EnvArgCopy_NoSecretsInLayers()
    {
        var instructions = Stages().Values.SelectMany(s => s).ToList();

        foreach (var (keyword, arguments) in instructions.Where(i => i.Keyword is "ENV" or "ARG"))
        {
            foreach (Match assignment in Assignment().Matches(arguments))
            {
                var name = assignment.Groups["name"].Value;
                Assert.False(SecretName().IsMatch(name) && assignment.Groups["value"].Value.Length > 0, $"{keyword} {name} puts a secret into a layer");
            }
        }

        foreach (var (keyword, arguments) in instructions.Where(i => i.Keyword is "COPY" or "ADD"))
        {
            Assert.False(SecretFile().IsMatch(arguments), $"{keyword} {arguments} copies a secret file into a layer");
        }

        var ignore = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal("**", ignore[0]);
        Assert.DoesNotContain(ignore, l => l.StartsWith('!') && SecretFile().IsMatch(l));
    }

    /// <summary>Instructions per stage name (continuation lines joined, comments dropped).</summary>
    private static Dictionary<string, List<(string Keyword, string Arguments)>> Stages()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        var stages = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal) { [string.Empty] = [] };
        var current = stages[string.Empty];
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var arguments = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var name = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [.., var a, var n] && a.Equals("AS", StringComparison.OrdinalIgnoreCase) ? n : arguments;
                current = stages[name] = [];
            }

            current.Add((keyword, arguments));
        }

        foreach (var name in RuntimeStages)
        {
            Assert.True(stages.ContainsKey(name), $"the Dockerfile has no '{name}' stage");
        }

        return stages;
    }

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)(=(?<value>""[^""]*""|\S*))?")]
    private static partial Regex Assignment();

    [GeneratedRegex("(?i)(key|secret|passw|token|credential)")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?i)(\.env\b|\.pem\b|\.key\b|\.pfx\b|\.p12\b|id_rsa|id_ed25519|secrets?/|\.npmrc|\.netrc|nuget\.config)")]
    private static partial Regex SecretFile();
}
