using TorchSharp.Modules;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>A small MLP over MiniLM sentence embeddings: 384 → hidden → relu → 2 logits (ham, spam).</summary>
internal sealed class SpamHead : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Dropout dropout;
    private readonly Linear fc2;

    public SpamHead(int inputs, int hidden) : base(nameof(SpamHead))
    {
        Inputs = inputs;
        Hidden = hidden;
        fc1 = nn.Linear(inputs, hidden);
        dropout = nn.Dropout(0.2);
        fc2 = nn.Linear(hidden, 2);
        RegisterComponents();
    }

    public int Inputs { get; }

    public int Hidden { get; }

    public Linear Fc1 => fc1;

    public Linear Fc2 => fc2;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return fc2.forward(dropout.forward(nn.functional.relu(fc1.forward(input)))).MoveToOuterDisposeScope();
    }
}
