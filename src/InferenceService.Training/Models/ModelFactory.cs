using System.Text.Json.Nodes;
using InferenceService.Training.Datasets;
using InferenceService.Training.Export;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>Rebuilds an untrained module of a family from the architecture recorded in run.json.</summary>
internal static class ModelFactory
{
    public static (nn.Module Module, IParityProbe Probe) Rebuild(string family, JsonObject a)
    {
        switch (family)
        {
            case Families.Mnist:
            case Families.FashionMnist:
                var cnn = new ImageCnn(new ImageCnnShape(Int(a, "channels1"), Int(a, "channels2"), Int(a, "hidden"), Int(a, "classes")));
                return (cnn, new ImageCnnProbe(cnn));
            case Families.Spam:
                var head = new SpamHead(Int(a, "inputs"), Int(a, "hidden"));
                return (head, new SpamHeadProbe(head));
            case Families.TextCsv:
                var textHead = new SpamHead(Int(a, "inputs"), Int(a, "hidden"), Int(a, "classes"));
                return (textHead, new SpamHeadProbe(textHead));
            case Families.ImageFolder:
                var imageHead = new SpamHead(Int(a, "inputs"), Int(a, "hidden"), Int(a, "classes"));
                var backbone = Backbone.Open(a["backbone"]?.GetValue<string>() ?? throw new InvalidDataException("run.json architecture lacks 'backbone'."));
                return (imageHead, new BackboneHeadProbe(imageHead, backbone));
            case Families.Recommender:
                var mf = new MatrixFactorization(Int(a, "users"), Int(a, "items"), Int(a, "dimensions"));
                return (mf, new MatrixFactorizationProbe(mf));
            default:
                throw new ArgumentException($"Unknown model family '{family}'.", nameof(family));
        }
    }

    private static int Int(JsonObject a, string name) =>
        a[name]?.GetValue<int>() ?? throw new InvalidDataException($"run.json architecture lacks '{name}'.");
}
