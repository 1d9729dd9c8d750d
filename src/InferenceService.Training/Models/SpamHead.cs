using TorchSharp.Modules;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>
/// The classifier head over embeddings (spam's, and every head <c>train image-folder</c>/<c>text-csv</c> trains):
/// inputs → hidden → relu → classes logits, or with <c>hidden = 0</c> one linear layer (no fc1).
/// </summary>
internal sealed class SpamHead : nn.Module<Tensor, Tensor>
{
    private readonly Linear? fc1;
    private readonly Dropout dropout;
    private readonly Linear fc2;

    public SpamHead(int inputs, int hidden, int classes = 2) : base(nameof(SpamHead))
    {
        Inputs = inputs;
        Hidden = hidden;
        Classes = classes;
        fc1 = hidden > 0 ? nn.Linear(inputs, hidden) : null;
        dropout = nn.Dropout(0.2);
        fc2 = nn.Linear(hidden > 0 ? hidden : inputs, classes);
        RegisterComponents();
    }

    public int Inputs { get; }

    public int Hidden { get; }

    public int Classes { get; }

    /// <summary>Null for a linear head.</summary>
    public Linear? Fc1 => fc1;

    public Linear Fc2 => fc2;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = fc1 is null ? input : nn.functional.relu(fc1.forward(input));
        return fc2.forward(dropout.forward(x)).MoveToOuterDisposeScope();
    }
}
