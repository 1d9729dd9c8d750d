using System.Runtime.InteropServices;

namespace InferenceService.Hosting;

/// <summary>
/// Keeps large native buffers (decoded images in SkiaSharp, 20+ MB each) from staying resident after they are freed.
/// glibc raises its mmap threshold to the size of each large block freed (up to 32 MB), so later decodes come from
/// its per-thread heaps, one per busy thread, which keep the freed memory: 64 concurrent 16 MB uploads then left
/// 600+ MB resident. A fixed threshold keeps such buffers in mmap (returned to the OS on free), and two heaps per
/// core bound what the rest can keep. Linux with glibc only; elsewhere nothing changes.
/// </summary>
internal static class GlibcMalloc
{
    // mallopt parameters from glibc's malloc.h.
    private const int MmapThreshold = -3;
    private const int ArenaMax = -8;

    private const int MmapThresholdBytes = 4 * 1024 * 1024;

    public static void Configure()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallOpt(MmapThreshold, MmapThresholdBytes);
            _ = MallOpt(ArenaMax, 2 * Environment.ProcessorCount);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no mallopt): its allocator returns large blocks to the OS anyway.
        }
    }

    // DllImport, not LibraryImport: an (int, int) -> int call needs no marshalling, and LibraryImport would need unsafe code.
    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallOpt(int parameter, int value);
}
