using System.Text.Json.Serialization;

namespace InferenceService.Client;

/// <summary>Source-generated (trim- and AOT-safe) JSON for every shape this client reads or writes; the service speaks snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ServerMetadata))]
[JsonSerializable(typeof(ModelMetadata))]
[JsonSerializable(typeof(ModelConfiguration))]
[JsonSerializable(typeof(ModelStatisticsResponse))]
[JsonSerializable(typeof(IReadOnlyList<RepositoryModel>))]
[JsonSerializable(typeof(TextEmbeddingsRequest))]
[JsonSerializable(typeof(TextEmbeddingsResponse))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
