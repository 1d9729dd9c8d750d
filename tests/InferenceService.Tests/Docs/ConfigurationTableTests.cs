using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.RegularExpressions;
using InferenceService.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace InferenceService.Tests.Docs;

/// <summary>
/// docs/configuration.md's one table against the code: every key the service reads is a row, no row names a key
/// nothing reads, and the defaults and ranges written there are the options classes' own.
/// </summary>
public sealed partial class ConfigurationTableTests
{
    private static readonly IReadOnlyList<(string Key, string[] Cells)> Rows = ConfigurationTable.Read(File.ReadAllText(ConfigurationTable.PagePath));

    [Fact]
    public void Table_EveryKeyTheServiceReads_IsARow()
    {
        var documented = Rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        var missing = BoundSettings.All.Where(k => !documented.Contains(k)).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, "docs/configuration.md lacks a row for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Table_EveryRow_IsAKeyTheServiceStillReads()
    {
        var stale = Rows.Select(r => r.Key).Where(k => !BoundSettings.All.Contains(k)).ToList();

        Assert.True(stale.Count == 0, "docs/configuration.md has rows for keys nothing reads (removed or misspelt): " + string.Join(", ", stale));
    }

    [Fact]
    public void Table_EachKey_IsOneRow()
    {
        var twice = Rows.GroupBy(r => r.Key, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.Empty(twice);
    }

    [Fact]
    public void OptionsTypes_EveryTypeTheHostBinds_HasASection()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddInferenceServiceDefaults();

        // BindConfiguration registers a change-token source per options type: that is what "bound" leaves behind.
        var bound = builder.Services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.Assembly == typeof(ServiceDefaults).Assembly)
            .Distinct()
            .ToList();

        Assert.NotEmpty(bound);
        Assert.All(bound, t => Assert.True(BoundSettings.SectionOf(t) is not null, $"{t.Name} is bound but has no 'public const string Section': the table test cannot see its keys"));
        Assert.Subset(BoundSettings.OptionsTypes.ToHashSet(), bound.ToHashSet());
    }

    [Fact]
    public void Sources_KeysReadOneByOne_AreAllListed()
    {
        var sources = new[] { "src/InferenceService", "src/InferenceService.Runtime" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

        var read = sources.SelectMany(f => LiteralRead().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups["key"].Value)))
            .Where(r => !BoundSettings.All.Contains(r.Key))
            .ToList();

        Assert.True(read.Count == 0, "read in the code but not in BoundSettings (and so perhaps not in docs/configuration.md): " + string.Join(", ", read));
    }

    [Fact]
    public void Table_Defaults_AreTheCodesWithAppSettings()
    {
        var appSettings = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoPaths.Root, "src", "InferenceService", "appsettings.json")).Build();
        var wrong = new List<string>();
        foreach (var group in BoundSettings.OptionKeys.GroupBy(k => k.Options))
        {
            var options = Activator.CreateInstance(group.Key)!;
            appSettings.GetSection(BoundSettings.SectionOf(group.Key)!).Bind(options);
            foreach (var (key, _, property) in group)
            {
                var expected = Format(property.GetValue(options));
                var written = Cells(key) is { } cells ? FirstCode(cells[2]) : null;

                // No value (null, empty list) or a machine-dependent one is written in words; those are not compared.
                if (expected is not null && written is not null && written != expected)
                {
                    wrong.Add($"{key}: the table says `{written}`, the code {expected}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Table_Ranges_AreTheValidatorsOwn()
    {
        var wrong = new List<string>();
        foreach (var (key, _, property) in BoundSettings.OptionKeys)
        {
            if (property.GetCustomAttributes(typeof(RangeAttribute), inherit: true).SingleOrDefault() is RangeAttribute range)
            {
                var text = $"{Format(range.Minimum)}–{Format(range.Maximum)}";
                if (Cells(key) is { } cells && !cells[3].Contains(text, StringComparison.Ordinal))
                {
                    wrong.Add($"{key}: its validation cell should say {text} ('{cells[3]}')");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>The row's cells; null without a row (<see cref="Table_EveryKeyTheServiceReads_IsARow"/> reports that).</summary>
    private static string[]? Cells(string key)
    {
        var row = Rows.FirstOrDefault(r => r.Key == key);
        Assert.True(row.Cells is null or { Length: 4 }, $"{key}: expected a row of 4 cells (key, meaning, default, refused at start-up)");
        return row.Cells;
    }

    private static string? FirstCode(string cell) => Code().Match(cell) is { Success: true } m ? m.Groups[1].Value : null;

    private static string? Format(object? value) => value switch
    {
        null or Array { Length: 0 } => null,
        string text => text.Length == 0 ? null : text,
        bool flag => flag ? "true" : "false",
        Enum member => member.ToString().ToLowerInvariant(),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    /// <summary><c>configuration["key"]</c>, <c>Configuration["key"]</c>, <c>GetValue&lt;T&gt;("key")</c>, <c>GetSection("key")</c> with a literal key.</summary>
    [GeneratedRegex(@"(?:[Cc]onfiguration\[|\bGetValue(?:<[^>]+>)?\(|GetSection\()""(?<key>[^""]+)""")]
    private static partial Regex LiteralRead();
}
