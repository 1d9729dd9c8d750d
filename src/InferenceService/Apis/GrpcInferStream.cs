using Grpc.Core;
using InferenceService.Grpc;
using InferenceService.Runtime.Inference;

namespace InferenceService.Apis;

/// <summary>
/// One ModelStreamInfer call (Triton's): each request read from the stream starts at once, alongside those before it
/// (so a stream's requests batch together), and is answered on the stream when it completes, in completion order:
/// its results, or its error as <c>error_message</c> with the stream left open. The request's id is echoed either way.
/// </summary>
internal sealed partial class GrpcInferStream(
    Func<ModelInferRequest, CancellationToken, Task<ModelInferResponse>> infer,
    IServerStreamWriter<ModelStreamInferResponse> responses,
    ILogger logger) : IDisposable
{
    /// <summary>
    /// Requests of one stream running at once. Past this the stream is not read until one is answered, so HTTP/2 flow
    /// control holds a client back that sends faster than it reads; it is enough to fill any batch many times over.
    /// </summary>
    public const int MaxInFlight = 256;

    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);

    // A stream writer takes one message at a time; answers finish concurrently.
    private readonly SemaphoreSlim _write = new(1, 1);

    public async Task RunAsync(IAsyncStreamReader<ModelInferRequest> requests, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!await requests.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    _slots.Release();
                    break;
                }

                _ = AnswerAsync(requests.Current, cancellationToken);
            }
        }
        finally
        {
            // The call ends only after every answer is written (or abandoned with it): a write after the handler
            // returns would fail. Holding every slot means no request is left running.
            for (var i = 0; i < MaxInFlight; i++)
            {
                await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs one request and writes its answer; never throws (its slot is released whatever happens).</summary>
    private async Task AnswerAsync(ModelInferRequest request, CancellationToken cancellationToken)
    {
        try
        {
            ModelStreamInferResponse answer;
            try
            {
                answer = new ModelStreamInferResponse { InferResponse = await infer(request, cancellationToken).ConfigureAwait(false) };
            }
            catch (InferenceException e)
            {
                answer = Error(request, e.Message);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // A fault of the server, not of the request: told without its details, logged, and the stream goes on.
                LogRequestFailed(e, request.ModelName, request.Id);
                answer = Error(request, "The server failed to run the request; its log has the details.");
            }

            await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await responses.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _write.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            // The call ended (cancelled, or the client went away) before the answer could be written: nobody reads it.
            LogAnswerDropped(request.ModelName, request.Id, e.GetType().Name);
        }
        finally
        {
            _slots.Release();
        }
    }

    private static ModelStreamInferResponse Error(ModelInferRequest request, string message) => new()
    {
        ErrorMessage = message,
        InferResponse = new ModelInferResponse { ModelName = request.ModelName, ModelVersion = request.ModelVersion, Id = request.Id },
    };

    public void Dispose()
    {
        _slots.Dispose();
        _write.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A streamed request to model {Model} (id '{Id}') failed in the server; the stream goes on")]
    private partial void LogRequestFailed(Exception exception, string model, string id);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The answer to a streamed request to model {Model} (id '{Id}') was dropped: the call ended ({Reason})")]
    private partial void LogAnswerDropped(string model, string id, string reason);
}
