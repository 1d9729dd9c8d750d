using InferenceService.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>
/// Lets Tasks:MaxConcurrentImageRequests vision requests read and decode their images at a time. A 16 MB upload is
/// 16 MB in memory plus its decoded pixels; sixty-four at once would be gigabytes, while decoding them in turn costs
/// only waiting (the cores are busy decoding anyway). A request that waits holds no body bytes beyond Kestrel's buffer.
/// </summary>
internal sealed class ImageIntake(IOptions<TaskLimitsOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentImageRequests, options.Value.MaxConcurrentImageRequests);

    /// <summary>Waits for a slot; disposing the lease frees it. Cancellation (the client left) ends the wait.</summary>
    public async Task<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(_slots);
    }

    public void Dispose() => _slots.Dispose();

    internal sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
