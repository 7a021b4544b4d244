using System.Text.Json;

namespace PaperLens.Tests.Lsp;

/// <summary>The runtime settings the `paperlens` executable ships with (server/PaperLens.Server/RuntimeSettings.props).</summary>
public class RuntimeSettingsTests
{
    /// <summary>
    /// Left to .NET, the gen0 budget follows the L3 cache (80 MB on a 300 MiB-L3 VM): a collection then promotes every ranking
    /// cached since the last one at once, a 50-250 ms pause that lands on a completion. The server caps it.
    /// </summary>
    [Fact]
    public void The_server_caps_the_gen0_budget()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "paperlens.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.True(properties.TryGetProperty("System.GC.Gen0MaxBudget", out var budget), "paperlens.runtimeconfig.json sets no System.GC.Gen0MaxBudget");
        Assert.InRange(budget.GetInt64(), 1L << 20, 8L << 20);
    }
}
