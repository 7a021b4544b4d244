using System.Reflection;
using PaperLens.Server.Lsp.Protocol;
using PaperLens.Tests.Sources;

namespace PaperLens.Tests.Lsp;

/// <summary>The custom protocol is a contract: every PaperLens method is documented and mirrored by the VS Code client.</summary>
public class ProtocolDocsTests
{
    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        foreach (var type in new[] { typeof(PaperLensMethods), typeof(PaperLensNotifications) })
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
                data.Add((string)field.GetRawConstantValue()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Each_method_is_documented_and_each_request_mirrored_by_the_client(string method)
    {
        var docs = File.ReadAllText(Path.Combine(SourceTestSupport.RepoRoot, "docs", "lsp-extensions.md"));
        var client = File.ReadAllText(Path.Combine(SourceTestSupport.RepoRoot, "extension", "src", "lspExt.ts"));
        Assert.Contains($"`{method}`", docs);
        if (method.Contains('/')) Assert.Contains($"'{method}'", client); // requests and notifications; commands may be server-only
    }
}
