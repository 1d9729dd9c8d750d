using InferenceService.Runtime.Repository.Provisioning;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Hosting;

/// <summary>
/// <c>InferenceService provision &lt;repository&gt; [packages folder]</c>: provisions pretrained weights and exits.
/// Relative paths mean the caller's directory (<see cref="CommandLinePaths"/>). The build runs it after compiling, so a fresh clone's <c>dotnet build</c> or <c>dotnet run</c> has the models.
/// </summary>
internal static class ProvisionCommand
{
    public static bool IsRequested(string[] args) => args.Length >= 2 && args[0] == "provision";

    public static int Run(string[] args)
    {
        try
        {
            var provisioner = new ModelProvisioner(NullLogger<ModelProvisioner>.Instance);
            var written = provisioner.ProvisionAll(CommandLinePaths.Resolve(args[1]), args.Length > 2 ? CommandLinePaths.Resolve(args[2]) : null);
            Console.WriteLine(written == 0 ? "Models already provisioned (sha256 verified)." : $"Provisioned {written} file(s) (sha256 verified).");
            return 0;
        }
        catch (Exception e) when (e is ProvisioningException or IOException or UnauthorizedAccessException or Runtime.Repository.ModelConfigException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
