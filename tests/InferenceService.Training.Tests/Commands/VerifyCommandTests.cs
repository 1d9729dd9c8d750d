using InferenceService.Training.Commands;
using InferenceService.Training.Export;
using Spectre.Console;

namespace InferenceService.Training.Tests.Commands;

[Trait("Category", "Training")]
public sealed class VerifyCommandTests
{
    [Theory]
    [InlineData(1e-6, "PASS batch 1: max |diff| 1.00E-06")]
    [InlineData(1e-2, "FAIL batch 1: max |diff| 1.00E-02")]
    public void Verdict_RendersItsMarkupInsteadOfPrintingTheTags(double diff, string expectedStart)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No });

        console.MarkupLineInterpolated(VerifyCommand.Verdict(new ParityReport(new Dictionary<int, double> { [1] = diff }, 1e-4)));

        Assert.StartsWith(expectedStart, writer.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("[/]", writer.ToString(), StringComparison.Ordinal);
    }
}
