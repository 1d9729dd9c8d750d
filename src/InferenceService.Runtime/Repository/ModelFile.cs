using InferenceService.Runtime.Repository.Provisioning;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// The one ONNX file of a version folder: <c>model.onnx</c>, as Triton's default_model_filename. Anything else is an
/// error that says what the folder holds and what to do, so a user can fix it without reading the source.
/// </summary>
public static class ModelFile
{
    public static string Find(string modelDir, string versionDir)
    {
        var path = Path.Combine(versionDir, ModelConfigLoader.ModelFileName);
        var onnx = Directory.Exists(versionDir)
            ? Directory.EnumerateFiles(versionDir, "*.onnx").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
            : [];
        if (onnx.Count > 1)
        {
            throw new ModelConfigException(versionDir, "$", "one .onnx file (" + ModelConfigLoader.ModelFileName + ")", $"{onnx.Count} ({string.Join(", ", onnx)}): keep only the model to serve, named {ModelConfigLoader.ModelFileName}");
        }

        if (onnx.Count == 1 && onnx[0] != ModelConfigLoader.ModelFileName)
        {
            throw new ModelConfigException(versionDir, "$", "the model named " + ModelConfigLoader.ModelFileName, $"{onnx[0]}: rename it to {ModelConfigLoader.ModelFileName}");
        }

        if (onnx.Count == 0)
        {
            var provisioned = File.Exists(Path.Combine(modelDir, ModelProvisioner.ManifestFileName));
            throw new ModelConfigException(versionDir, "$", "a " + ModelConfigLoader.ModelFileName,
                provisioned
                    ? "none yet: it is provisioned from a NuGet package; run `dotnet build` (or check the provisioning error above)"
                    : Directory.Exists(versionDir) ? "a version folder without a model" : "no such folder");
        }

        return path;
    }
}
