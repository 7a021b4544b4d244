using System.Collections.Concurrent;
using PaperLens.Embedding;

namespace PaperLens.Tests.Lsp;

/// <summary>`paperlens.model.precision` picks the model's fp32 or int8 file, at start and when the setting changes.</summary>
public class LspModelPrecisionTests
{
    [Fact]
    public async Task The_precision_setting_reaches_the_model_loader()
    {
        var loads = new ConcurrentQueue<bool>();
        await using var client = LspTestClient.InProcess(Fixture.Parse("%! paper.tex\nText.|\n"), (_, fp32) => { loads.Enqueue(fp32); return new HashingEmbedder(); });
        await client.InitializeAsync(new { model = new { precision = "fp32" }, index = new { path = client.Folder.Combine(".index", "index.db") } });
        await Until(() => loads.Contains(true));
        Assert.DoesNotContain(false, loads);

        await client.Notify("workspace/didChangeConfiguration", new { settings = new { paperlens = new { model = new { precision = "int8" } } } });
        await Until(() => loads.Contains(false));
        Assert.Equal([true, false], loads.ToArray());
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the model was not loaded");
            await Task.Delay(20);
        }
    }
}
