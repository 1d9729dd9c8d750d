using System.Text.Json.Nodes;

namespace InferenceService.Training.Models;

/// <summary>Accuracy, confusion matrix and per-class precision/recall from predictions.</summary>
internal sealed class ClassificationMetrics
{
    public ClassificationMetrics(IReadOnlyList<string> classNames, ReadOnlySpan<long> predicted, ReadOnlySpan<long> actual)
    {
        ClassNames = classNames;
        Confusion = new int[classNames.Count, classNames.Count];
        for (var i = 0; i < actual.Length; i++)
        {
            Confusion[actual[i], predicted[i]]++;
        }

        Count = actual.Length;
    }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Rows are the true class, columns the predicted class.</summary>
    public int[,] Confusion { get; }

    public int Count { get; }

    public double Accuracy => Count == 0 ? 0 : Enumerable.Range(0, ClassNames.Count).Sum(i => Confusion[i, i]) / (double)Count;

    public double Precision(int c)
    {
        var predicted = Enumerable.Range(0, ClassNames.Count).Sum(r => Confusion[r, c]);
        return predicted == 0 ? 0 : Confusion[c, c] / (double)predicted;
    }

    public double Recall(int c)
    {
        var actual = Enumerable.Range(0, ClassNames.Count).Sum(p => Confusion[c, p]);
        return actual == 0 ? 0 : Confusion[c, c] / (double)actual;
    }

    public JsonObject ToJson()
    {
        var perClass = new JsonObject();
        for (var c = 0; c < ClassNames.Count; c++)
        {
            perClass[ClassNames[c]] = new JsonObject
            {
                ["precision"] = Math.Round(Precision(c), 5),
                ["recall"] = Math.Round(Recall(c), 5),
                ["support"] = Enumerable.Range(0, ClassNames.Count).Sum(p => Confusion[c, p]),
            };
        }

        var matrix = new JsonArray();
        for (var r = 0; r < ClassNames.Count; r++)
        {
            matrix.Add(new JsonArray([.. Enumerable.Range(0, ClassNames.Count).Select(c => JsonValue.Create(Confusion[r, c]))]));
        }

        return new JsonObject
        {
            ["accuracy"] = Math.Round(Accuracy, 5),
            ["count"] = Count,
            ["per_class"] = perClass,
            ["confusion_matrix"] = matrix,
        };
    }
}
