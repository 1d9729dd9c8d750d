using InferenceService.Hosting;
using Microsoft.Extensions.Configuration;

namespace InferenceService.Tests.Hosting;

/// <summary>
/// ModelRepository:ControlMode binds to <see cref="ModelControlMode"/> from Triton's lower-case names and refuses anything
/// else at start-up, naming the setting. Bound and validated directly: a failing host start races WebApplicationFactory's disposal.
/// </summary>
public sealed class ModelRepositoryOptionsTests
{
    [Theory]
    [InlineData("none", ModelControlMode.None)]
    [InlineData("explicit", ModelControlMode.Explicit)]
    [InlineData("poll", ModelControlMode.Poll)]
    [InlineData("Explicit", ModelControlMode.Explicit)]
    public void Bind_ControlModeName_BindsTheMode(string value, ModelControlMode expected)
    {
        var options = Bind("ControlMode", value);

        Assert.Equal(expected, options.ControlMode);
        Assert.True(new ModelRepositoryOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Bind_NoControlMode_Polls()
    {
        var options = Bind("Path", "models");

        Assert.Equal(ModelControlMode.Poll, options.ControlMode);
    }

    [Fact]
    public void Bind_UnknownControlMode_FailsNamingTheSettingAndTheValue()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Bind("ControlMode", "sometimes"));

        Assert.Contains("'sometimes' at 'ModelRepository:ControlMode'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedControlModeNumber_FailsNamingTheSettingAndItsValues()
    {
        var result = new ModelRepositoryOptionsValidator().Validate(null, Bind("ControlMode", "7"));

        Assert.True(result.Failed);
        Assert.Contains("ModelRepository:ControlMode must be none, explicit or poll.", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NoShutdownDelay_Zero()
    {
        var options = Bind("Path", "models");

        Assert.Equal(0, options.ShutdownDelaySeconds);
    }

    [Fact]
    public void Validate_NegativeShutdownDelay_FailsNamingTheSettingAndItsRange()
    {
        var result = new ModelRepositoryOptionsValidator().Validate(null, Bind("ShutdownDelaySeconds", "-1"));

        Assert.True(result.Failed);
        Assert.Contains("ShutdownDelaySeconds must be between 0 and 3600", result.FailureMessage, StringComparison.Ordinal);
    }

    private static ModelRepositoryOptions Bind(string key, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{ModelRepositoryOptions.Section}:{key}"] = value })
            .Build();
        var options = new ModelRepositoryOptions();
        configuration.GetSection(ModelRepositoryOptions.Section).Bind(options);
        return options;
    }
}
