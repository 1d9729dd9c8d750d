using TorchSharp.Modules;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>
/// Matrix factorisation with item biases for implicit feedback: score(u, i) = p_u · q_i + b_i, trained with a
/// softmax over all items (cheap at this catalogue size and a better fit for next-item ranking than BPR).
/// </summary>
internal sealed class MatrixFactorization : nn.Module<Tensor, Tensor>
{
    private readonly Embedding users;
    private readonly Embedding items;
    private readonly Parameter itemBias;

    public MatrixFactorization(int userCount, int itemCount, int dimensions) : base(nameof(MatrixFactorization))
    {
        UserCount = userCount;
        ItemCount = itemCount;
        Dimensions = dimensions;
        users = nn.Embedding(userCount, dimensions);
        items = nn.Embedding(itemCount, dimensions);
        itemBias = nn.Parameter(zeros(itemCount));
        using (no_grad())
        {
            // Small initial factors keep the initial softmax near uniform.
            users.weight!.normal_(0, 0.05);
            items.weight!.normal_(0, 0.05);
        }

        RegisterComponents();
    }

    public int UserCount { get; }

    public int ItemCount { get; }

    public int Dimensions { get; }

    public Tensor UserFactors => users.weight!;

    public Tensor ItemFactors => items.weight!;

    public Tensor ItemBias => itemBias;

    /// <summary>Scores of every item for each user id: [batch] → [batch, items].</summary>
    public override Tensor forward(Tensor userIds) =>
        users.forward(userIds).matmul(items.weight!.t()) + itemBias;

    /// <summary>Cosine similarity of every item to each item id: [batch] → [batch, items].</summary>
    public Tensor ItemSimilarity(Tensor itemIds)
    {
        using var scope = NewDisposeScope();
        var normalized = nn.functional.normalize(items.weight!, p: 2, dim: 1);
        return normalized.index_select(0, itemIds).matmul(normalized.t()).MoveToOuterDisposeScope();
    }
}
