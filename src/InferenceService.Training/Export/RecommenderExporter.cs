using InferenceService.Training.Models;
using Onnx;
using static TorchSharp.torch;

namespace InferenceService.Training.Export;

/// <summary>
/// Writes the recommender as ONNX with two independent paths (callers feed 0 to the input they don't need):
/// user_ids [batch,1] → user_scores [batch,items] = p_u·Qᵀ + b; item_ids [batch,1] → item_scores [batch,items]
/// = cosine similarity (item factors normalised at export time, so serving does no normalisation).
/// </summary>
internal static class RecommenderExporter
{
    public const string UserInput = "user_ids";
    public const string ItemInput = "item_ids";
    public const string UserOutput = "user_scores";
    public const string ItemOutput = "item_scores";

    public static ModelProto Export(MatrixFactorization model, IReadOnlyDictionary<string, string> metadata)
    {
        var builder = new OnnxGraphBuilder("recommender");
        var users = builder.AddInput(UserInput, OnnxGraphBuilder.Int64, null, 1);
        var items = builder.AddInput(ItemInput, OnnxGraphBuilder.Int64, null, 1);
        var userFactors = LayerExport.Data(model.UserFactors);
        using var normalized = nn.functional.normalize(model.ItemFactors.detach(), p: 2, dim: 1);
        using var normalizedT = normalized.t().contiguous();
        using var itemFactorsT = model.ItemFactors.detach().t().contiguous();

        var p = builder.AddInitializer("user_factors", userFactors, model.UserCount, model.Dimensions);
        var qT = builder.AddInitializer("item_factors_t", LayerExport.Data(itemFactorsT), model.Dimensions, model.ItemCount);
        var bias = builder.AddInitializer("item_bias", LayerExport.Data(model.ItemBias), model.ItemCount);
        var userVector = LayerExport.EmbeddingLookup(builder, p, users);
        var scores = builder.AddNode("MatMul", [userVector, qT]);
        builder.AddNode("Add", [scores, bias], UserOutput);

        var qn = builder.AddInitializer("item_factors_normalized", LayerExport.Data(normalized), model.ItemCount, model.Dimensions);
        var qnT = builder.AddInitializer("item_factors_normalized_t", LayerExport.Data(normalizedT), model.Dimensions, model.ItemCount);
        var itemVector = LayerExport.EmbeddingLookup(builder, qn, items);
        builder.AddNode("MatMul", [itemVector, qnT], ItemOutput);

        builder.AddOutput(UserOutput, OnnxGraphBuilder.Float, null, model.ItemCount);
        builder.AddOutput(ItemOutput, OnnxGraphBuilder.Float, null, model.ItemCount);
        return builder.Build(metadata);
    }
}
