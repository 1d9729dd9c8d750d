using InferenceService.Runtime.Pipelines;

namespace InferenceService.Runtime.Tests.Pipelines;

public sealed class AccentFoldingTests
{
    [Theory]
    [InlineData("Crème brûlée à São Paulo", "Creme brulee a Sao Paulo")]
    [InlineData("Ångström Łódź", "Angstrom Łodz")]
    [InlineData("cafe\u0301", "cafe")]
    [InlineData("Việt Nam", "Viet Nam")]
    [InlineData("Ελλάδα", "Ελλαδα")]
    public void Fold_AccentedText_KeepsBaseLettersOnly(string text, string expected)
    {
        var folded = AccentFolding.Fold(text);

        Assert.Equal(expected, folded);
    }

    [Fact]
    public void Fold_Ascii_ReturnsTheSameString()
    {
        const string text = "This is a test.";

        Assert.Same(text, AccentFolding.Fold(text));
    }
}
