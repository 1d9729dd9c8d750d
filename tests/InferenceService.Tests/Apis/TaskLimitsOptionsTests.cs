using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace InferenceService.Tests.Apis;

[Collection(StartupFailureCollection.Name)]
public sealed class TaskLimitsOptionsTests
{
    [Theory]
    [InlineData("Tasks:MaxK", "0", "MaxK")]
    [InlineData("Tasks:MaxTokens", "1000", "MaxTokens")]
    [InlineData("Tasks:MaxTextCharacters", "2000000", "MaxTextCharacters")]
    public void Start_InvalidTasksSetting_FailsNamingTheSetting(string key, string value, string expected)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting(key, value));

        var e = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_MoreCharactersPerTextThanBodyBytes_FailsStatingBothValues()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Tasks:MaxTextCharacters", "5000")
            .UseSetting("Tasks:MaxTextBodyBytes", "4096"));

        var e = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("(5000) must not exceed Tasks:MaxTextBodyBytes (4096)", e.Message, StringComparison.Ordinal);
    }
}
