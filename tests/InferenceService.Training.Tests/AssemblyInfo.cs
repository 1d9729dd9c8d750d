// TorchSharp's default generator and thread count are process-wide: tests that seed them must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
