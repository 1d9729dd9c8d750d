using System.Diagnostics;

namespace InferenceService.Training.Publish;

/// <summary>
/// Test seam for the crash-safety of publish: with <c>INFERENCE_TRAINING_PUBLISH_KILL_AT</c> naming a step, the
/// process kills itself (SIGKILL, no cleanup, no finally) when publish reaches it, as an OOM kill or a power cut
/// would. Unset (always, outside that test) it does nothing.
/// </summary>
internal static class PublishFaults
{
    public const string Variable = "INFERENCE_TRAINING_PUBLISH_KILL_AT";

    /// <summary>A file of the new version is written into the hidden staging folder; the others are not.</summary>
    public const string Staging = "staging";

    /// <summary>The staging folder is renamed to its version number; config.json is not rewritten yet.</summary>
    public const string Renamed = "renamed";

    public static void At(string step)
    {
        if (Environment.GetEnvironmentVariable(Variable) == step)
        {
            // Process.Kill is SIGKILL on Unix: the finally that deletes the staging folder never runs.
            Process.GetCurrentProcess().Kill();
        }
    }
}
