namespace InferenceService.Tests.Docs;

/// <summary>The docs-test contract's parsing: which blocks run, their annotations, and annotations that would silently do nothing.</summary>
public sealed class MarkdownBlocksTests
{
    [Fact]
    public void Parse_ShAndBashFences_AreBlocksWithTheirFenceLine()
    {
        const string Page = """
            # Title

            ```sh
            echo one
            ```

            ```console
            $ echo not run
            ```

            ```bash
            echo two
            echo three
            ```
            """;

        var parsed = MarkdownBlocks.Parse("page.md", Page);

        Assert.Empty(parsed.Problems);
        Assert.Equal(["page.md:3", "page.md:11"], parsed.Blocks.Select(b => b.Location));
        Assert.Equal(["echo one", "echo two\necho three"], parsed.Blocks.Select(b => b.Code));
    }

    [Fact]
    public void Parse_SkipAndExpects_AttachToTheNextFence()
    {
        const string Page = """
            <!-- docs-test: skip: starts the service itself -->
            ```sh
            dotnet run --project src/InferenceService
            ```

            <!-- docs-test: expect: "model_version" -->
            <!-- docs-test: expect:   0.7553   -->
            ```sh
            curl -s http://127.0.0.1:8000/v2/models/minilm
            ```
            """;

        var parsed = MarkdownBlocks.Parse("page.md", Page);

        Assert.Empty(parsed.Problems);
        Assert.Equal("starts the service itself", parsed.Blocks[0].SkipReason);
        Assert.Empty(parsed.Blocks[0].Expects);
        Assert.Null(parsed.Blocks[1].SkipReason);
        Assert.Equal(["\"model_version\"", "0.7553"], parsed.Blocks[1].Expects);
    }

    [Fact]
    public void Parse_FenceInAListItem_LosesTheListIndentation()
    {
        const string Page = """
            1. Run it:

               ```sh
               echo indented
               ```
            """;

        var block = Assert.Single(MarkdownBlocks.Parse("page.md", Page).Blocks);

        Assert.Equal("echo indented", block.Code);
    }

    [Fact]
    public void Parse_LongerFenceAroundAnExampleFence_IsOneBlock()
    {
        const string Page = """
            ````sh
            cat <<'MD'
            ```sh
            MD
            ````
            """;

        var block = Assert.Single(MarkdownBlocks.Parse("page.md", Page).Blocks);

        Assert.Equal("cat <<'MD'\n```sh\nMD", block.Code);
    }

    [Theory]
    [InlineData("<!-- docs-test: expects: 1 -->\n```sh\necho 1\n```", "page.md:1: not a docs-test annotation")]
    [InlineData("<!-- docs-test: skip: -->\n```sh\necho 1\n```", "page.md:1: docs-test skip needs a reason")]
    [InlineData("<!-- docs-test: expect: 1 -->\n\n```sh\necho 1\n```", "page.md:1: the docs-test expect annotation is not directly before an opening fence")]
    [InlineData("<!-- docs-test: expect: 1 -->\n```console\n1\n```", "page.md:1: the docs-test expect annotation is before a ```console block, which never runs")]
    [InlineData("text\n<!-- docs-test: skip: why -->", "page.md:2: the docs-test skip annotation is not before any block")]
    [InlineData("```sh\necho never closed", "page.md:1: the ```sh fence is never closed")]
    public void Parse_MisplacedOrMisspeltAnnotation_IsAProblem(string page, string problem)
    {
        var parsed = MarkdownBlocks.Parse("page.md", page);

        Assert.Contains(parsed.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }
}
