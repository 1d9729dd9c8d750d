using System.CommandLine;
using InferenceService.Training.Export;
using Spectre.Console;

namespace InferenceService.Training.Commands;

/// <summary>verify &lt;run dir&gt;: re-checks the ONNX export against the TorchSharp weights at batch 1 and 37.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("run-dir") { Description = "A run folder written by train" };
        var command = new Command("verify", "Compare the run's ONNX export with TorchSharp on random inputs") { folder };
        command.SetAction(parse =>
        {
            ParityReport report;
            try
            {
                report = RunVerifier.Verify(Path.GetFullPath(parse.GetRequiredValue(folder)));
            }
            catch (FileNotFoundException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 1;
            }

            AnsiConsole.MarkupLineInterpolated(Verdict(report));
            return report.Passed ? 0 : 2;
        });
        return command;
    }

    /// <summary>
    /// The verdict line. The markup sits in the format string: MarkupLineInterpolated escapes interpolated values, so
    /// a colour tag passed as one is printed literally ("[green]PASS[/]").
    /// </summary>
    internal static FormattableString Verdict(ParityReport report) => report.Passed
        ? (FormattableString)$"[green]PASS[/] {report.ToString()}"
        : (FormattableString)$"[red]FAIL[/] {report.ToString()}";
}
