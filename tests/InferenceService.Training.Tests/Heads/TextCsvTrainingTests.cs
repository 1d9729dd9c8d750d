using System.Text.Json.Nodes;
using InferenceService.Runtime.Repository;
using InferenceService.Training.Datasets;
using InferenceService.Training.Models;
using InferenceService.Training.Publish;
using InferenceService.Training.Reports;

namespace InferenceService.Training.Tests.Heads;

/// <summary>train text-csv: the RFC 4180 reader, and a generated 3-topic CSV through MiniLM, head, export and publish.</summary>
public sealed class TextCsvTrainingTests
{
    private static readonly Dictionary<string, string[]> Topics = new()
    {
        ["weather"] = ["Heavy rain and strong wind tonight", "Sunny skies with a light breeze", "Snow is expected in the mountains", "A thunderstorm warning for the coast", "Fog in the morning, clear later", "Temperatures drop below freezing", "Showers and hail this afternoon", "A hot and humid summer day", "Cloudy with a chance of drizzle", "The forecast says more rain"],
        ["cooking"] = ["Simmer the onions in butter", "Bake the bread for forty minutes", "Whisk the eggs with sugar", "Season the soup with salt and pepper", "Roast the vegetables in the oven", "Knead the dough until smooth", "Fry the garlic until golden", "Stir the sauce over low heat", "Chop the herbs finely", "Grill the fish with lemon"],
        ["football"] = ["The striker scored a late goal", "The goalkeeper saved a penalty", "The referee showed a red card", "The team won the league title", "A header from the corner kick", "The match ended in a draw", "The coach changed the formation", "Fans cheered in the stadium", "An offside goal was disallowed", "The midfielder passed to the winger"],
    };

    [Fact]
    public void Parse_QuotedFields_KeepsCommasQuotesAndLineBreaks()
    {
        var rows = TextCsv.Parse("text,label\r\n\"a, b\",x\n\"say \"\"hi\"\"\nthere\",y\nplain,z\n", "t.csv");

        Assert.Equal(4, rows.Count);
        Assert.Equal(["a, b", "x"], rows[1].Row);
        Assert.Equal(["say \"hi\"\nthere", "y"], rows[2].Row);
        Assert.Equal(5, rows[3].Line);
        Assert.Equal(["plain", "z"], rows[3].Row);
    }

    [Fact]
    public void Load_MissingLabelColumn_SaysWhichColumnsExist()
    {
        var file = Path.Combine(TestPaths.NewTempFolder(), "t.csv");
        File.WriteAllText(file, "body,category\nhello,a\n");

        var error = Assert.Throws<TrainingDataException>(() => TextCsv.Load(file));

        Assert.Contains("'body', 'category'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TextAfterClosingQuote_RefusesWithLine()
    {
        var error = Assert.Throws<TrainingDataException>(() => TextCsv.Parse("text,label\n\"a\"b,x\n", "t.csv"));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_MiniLmFolderWithoutModel_SaysWhatIsMissingBeforeEmbedding()
    {
        var root = TestPaths.NewTempFolder();
        var csv = Path.Combine(root, "topics.csv");
        File.WriteAllLines(csv, ["label,text", .. Topics.SelectMany(t => t.Value.Select(text => $"{t.Key},\"{text}\""))]);
        var empty = Path.Combine(root, "no-minilm");
        var settings = TrainSettings.Defaults(Families.TextCsv) with { Source = csv, CacheDir = TestPaths.NewTempFolder(), MiniLmDir = empty };

        var error = Assert.Throws<FileNotFoundException>(() => TextCsvTrainer.Train(settings, new QuietObserver(TextWriter.Null)));

        Assert.Contains(Path.Combine(empty, "vocab.txt"), error.Message, StringComparison.Ordinal);
        Assert.Contains("--minilm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainPublish_ThreeTopics_HeadPinsEmbeddingVersion()
    {
        var root = TestPaths.NewTempFolder();
        var csv = Path.Combine(root, "topics.csv");
        File.WriteAllLines(csv, ["label,text", .. Topics.SelectMany(t => t.Value.Select(text => $"{t.Key},\"{text}\""))]);
        var settings = TrainSettings.Defaults(Families.TextCsv) with
        {
            Source = csv,
            CacheDir = TestPaths.NewTempFolder(),
            MiniLmDir = TestPaths.MiniLm(),
            Threads = 2,
        };

        var model = TextCsvTrainer.Train(settings, new QuietObserver(TextWriter.Null));
        var parity = RunWriter.Write(model, Path.Combine(root, "run"));
        var published = ModelPublisher.Publish(Path.Combine(root, "run"), Path.Combine(root, "models"), "topics");

        Assert.True(parity.Passed, parity.ToString());
        Assert.Equal(6, model.Metrics["held_out_examples"]!.GetValue<int>());
        Assert.True(model.Metrics["held_out_accuracy"]!.GetValue<double>() >= 5 / 6.0, model.Metrics.ToJsonString());
        var pipeline = JsonNode.Parse(File.ReadAllText(Path.Combine(published.VersionFolder, VersionSettings.FileName)))!;
        Assert.Equal("minilm", pipeline["embedding_model"]!.GetValue<string>());
        Assert.Equal(1, pipeline["embedding_model_version"]!.GetValue<int>());
        Assert.Equal(["cooking", "football", "weather"], File.ReadAllLines(Path.Combine(published.VersionFolder, RunFiles.Labels)));
        var config = ModelConfigLoader.Load(Path.Combine(root, "models", "topics"));
        Assert.Equal(3, config.Outputs[0].Dims[^1]);
    }
}
