using InferenceService.Runtime.Sessions;

namespace InferenceService.Runtime.Tests.Sessions;

public sealed class ProviderLibraryErrorTests
{
    // ONNX Runtime 1.31's message on a machine without CUDA 13, as its logging function receives it.
    private const string CudaWithoutCublas =
        "/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2043 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() "
        + "[ONNXRuntimeError] : 1 : FAIL : Failed to load library /app/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so "
        + "with error: libcublasLt.so.13: cannot open shared object file: No such file or directory\n";

    [Fact]
    public void TryParse_CudaDependencyMissing_NamesTheProviderAndTheMissingFile()
    {
        var parsed = ProviderLibraryError.TryParse(CudaWithoutCublas, out var provider, out var reason);

        Assert.True(parsed);
        Assert.Equal("cuda", provider);
        Assert.Equal("libcublasLt.so.13 not found", reason);
    }

    [Fact]
    public void TryParse_OtherLoadError_KeepsTheLoadersText()
    {
        const string message = "Failed to load library /x/libonnxruntime_providers_tensorrt.so with error: undefined symbol: foo";

        var parsed = ProviderLibraryError.TryParse(message, out var provider, out var reason);

        Assert.True(parsed);
        Assert.Equal("tensorrt", provider);
        Assert.Equal("undefined symbol: foo", reason);
    }

    [Fact]
    public void TryParse_UnrelatedMessage_ReturnsFalse()
    {
        var parsed = ProviderLibraryError.TryParse("Removing initializer 'conv_0.weight'. It is no longer used by any node.", out _, out _);

        Assert.False(parsed);
    }
}
