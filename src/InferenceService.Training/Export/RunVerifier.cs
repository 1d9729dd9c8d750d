using System.Text.Json.Nodes;
using InferenceService.Training.Models;
using InferenceService.Training.Reports;

namespace InferenceService.Training.Export;

/// <summary>Rebuilds the TorchSharp module of a run folder from run.json and its weights and checks the ONNX file against it.</summary>
internal static class RunVerifier
{
    public static ParityReport Verify(string runFolder)
    {
        var manifestPath = Path.Combine(runFolder, RunFiles.Manifest);
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"{runFolder} is not a run folder: {RunFiles.Manifest} is missing.", manifestPath);
        }

        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        var family = manifest["family"]!.GetValue<string>();
        var architecture = manifest["architecture"]!.AsObject();
        var (module, probe) = ModelFactory.Rebuild(family, architecture);
        module.load(Path.Combine(runFolder, RunFiles.Weights));
        module.eval();
        var onnx = File.ReadAllBytes(Path.Combine(runFolder, RunFiles.Onnx));
        return ParityVerifier.Verify(onnx, probe);
    }
}
