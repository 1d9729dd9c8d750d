using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>
/// The 28×28 grayscale classifier: two conv–batchnorm–relu–maxpool blocks and a two-layer head.
/// Kept small on purpose: it must train to 99.2 % on MNIST in minutes on one CPU thread.
/// </summary>
internal sealed class ImageCnn : nn.Module<Tensor, Tensor>
{
    public const int Kernel = 3;
    public const int Padding = 1;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Linear fc1;
    private readonly Dropout dropout;
    private readonly Linear fc2;

    public ImageCnn(ImageCnnShape shape) : base(nameof(ImageCnn))
    {
        Shape = shape;
        conv1 = nn.Conv2d(1, shape.Channels1, Kernel, padding: Padding);
        bn1 = nn.BatchNorm2d(shape.Channels1);
        conv2 = nn.Conv2d(shape.Channels1, shape.Channels2, Kernel, padding: Padding);
        bn2 = nn.BatchNorm2d(shape.Channels2);
        fc1 = nn.Linear(shape.Channels2 * 7 * 7, shape.Hidden);
        dropout = nn.Dropout(0.25);
        fc2 = nn.Linear(shape.Hidden, shape.Classes);
        RegisterComponents();
    }

    public ImageCnnShape Shape { get; }

    public Conv2d Conv1 => conv1;

    public BatchNorm2d Bn1 => bn1;

    public Conv2d Conv2 => conv2;

    public BatchNorm2d Bn2 => bn2;

    public Linear Fc1 => fc1;

    public Linear Fc2 => fc2;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.max_pool2d(nn.functional.relu(bn1.forward(conv1.forward(input))), 2);
        x = nn.functional.max_pool2d(nn.functional.relu(bn2.forward(conv2.forward(x))), 2);
        x = x.flatten(1);
        x = dropout.forward(nn.functional.relu(fc1.forward(x)));
        return fc2.forward(x).MoveToOuterDisposeScope();
    }
}
