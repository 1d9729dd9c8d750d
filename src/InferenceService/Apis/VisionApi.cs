using System.Globalization;
using InferenceService.Hosting;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>Image tasks: ResNet18 embeddings and similarity, and the training module's image classifiers.</summary>
public static class VisionApi
{
    public const string EmbeddingsOperation = "VisionEmbeddings";
    public const string SimilarityOperation = "VisionSimilarity";
    public const string ClassifyOperation = "VisionClassify";

    public static IEndpointRouteBuilder MapVisionApi(this IEndpointRouteBuilder app)
    {
        var vision = app.MapGroup("/v1/vision").WithTags("Vision");
        vision.MapPost("/embeddings", Embeddings).WithName(EmbeddingsOperation)
            .WithSummary("Image embeddings: 512 L2-normalised ResNet18 features per image (multipart file parts or one raw image).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        vision.MapPost("/similarity", Similarity).WithName(SimilarityOperation)
            .WithSummary("Cosine similarity of two images (multipart/form-data with exactly two file parts).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        vision.MapPost("/classify/{model}", Classify).WithName(ClassifyOperation)
            .WithSummary("Classify one image with an image classifier of the repository: top-k labels with probabilities.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static Task<Results<Ok<VisionEmbeddingsResponse>, ProblemHttpResult, ValidationProblem>> Embeddings(
        HttpRequest request, InferenceGateway gateway, ImageIntake intake, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken) =>
        TaskEndpoint.RunAsync(request.HttpContext.Response, async () =>
        {
            var limits = options.Value;
            using var ticket = gateway.AdmitPipeline<ImageEmbedder>(ImageEmbedder.ModelName, PipelineKinds.ImageEmbedder, out var embedder);
            using var slot = await intake.EnterAsync(cancellationToken).ConfigureAwait(false);
            var uploads = await ImageUpload.ReadAsync(request, limits.MaxImageBytes, limits.MaxImagesPerRequest, "Tasks:MaxImagesPerRequest", allowRaw: true, cancellationToken).ConfigureAwait(false);
            var embeddings = await embedder.EmbedAsync(gateway, ticket, uploads, limits.MaxImagePixels, cancellationToken).ConfigureAwait(false);
            return new VisionEmbeddingsResponse(ticket.Model.Name, embedder.Width, embeddings);
        });

    private static Task<Results<Ok<VisionSimilarityResponse>, ProblemHttpResult, ValidationProblem>> Similarity(
        HttpRequest request, InferenceGateway gateway, ImageIntake intake, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken) =>
        TaskEndpoint.RunAsync(request.HttpContext.Response, async () =>
        {
            using var ticket = gateway.AdmitPipeline<ImageEmbedder>(ImageEmbedder.ModelName, PipelineKinds.ImageEmbedder, out var embedder);
            using var slot = await intake.EnterAsync(cancellationToken).ConfigureAwait(false);
            var uploads = await ImageUpload.ReadAsync(request, options.Value.MaxImageBytes, 2, "similarity compares two images", allowRaw: false, cancellationToken).ConfigureAwait(false);
            if (uploads.Count != 2)
            {
                throw PipelineException.BadRequest($"Similarity needs exactly 2 images as file parts, got {uploads.Count}.");
            }

            var pair = await embedder.EmbedAsync(gateway, ticket, uploads, options.Value.MaxImagePixels, cancellationToken).ConfigureAwait(false);
            return new VisionSimilarityResponse(ticket.Model.Name, VectorMath.Cosine(pair[0], pair[1]));
        });

    private static Task<Results<Ok<VisionClassifyResponse>, ProblemHttpResult, ValidationProblem>> Classify(
        string model, HttpRequest request, InferenceGateway gateway, ImageIntake intake, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken, string? k = null) =>
        TaskEndpoint.RunAsync(request.HttpContext.Response, async () =>
        {
            var limits = options.Value;
            var count = TaskQuery.K(k, 5, limits);
            using var ticket = gateway.AdmitPipeline<ImageClassifier>(model, PipelineKinds.ImageClassifier, out var classifier);
            using var slot = await intake.EnterAsync(cancellationToken).ConfigureAwait(false);
            var uploads = await ImageUpload.ReadAsync(request, limits.MaxImageBytes, 1, "classify takes one image", allowRaw: true, cancellationToken).ConfigureAwait(false);
            var top = await classifier.ClassifyAsync(gateway, ticket, uploads[0], limits.MaxImagePixels, count, cancellationToken).ConfigureAwait(false);
            return new VisionClassifyResponse(
                ticket.Model.Name,
                ticket.Model.Version.ToString(CultureInfo.InvariantCulture),
                top.Select(s => new LabelProbability(s.Label, s.Index, s.Probability)).ToList());
        });
}
