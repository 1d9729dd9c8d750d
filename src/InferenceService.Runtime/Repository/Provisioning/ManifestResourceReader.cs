using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace InferenceService.Runtime.Repository.Provisioning;

/// <summary>Reads an embedded manifest resource from an assembly file's metadata without loading the assembly.</summary>
internal static class ManifestResourceReader
{
    public static byte[] Read(string assemblyPath, string resourceName)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || metadata.GetString(resource.Name) != resourceName)
            {
                continue;
            }

            var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory
                ?? throw new InvalidDataException($"{assemblyPath} has no resources directory.");
            var block = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = block.GetReader((int)resource.Offset, block.Length - (int)resource.Offset);
            var length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }

        throw new InvalidDataException($"{assemblyPath} has no manifest resource '{resourceName}'.");
    }
}
