using PaperLens.Features;
using PaperLens.Features.Diagnostics;

namespace PaperLens.Tests.Features.Editor;

public class DiagnosticsTests
{
    private const string Draft = """
        %! paper.tex
        As \newcite{known} and \citeA{missingA} show, \mycite{missingB} \cite{
        \cite{missingC} holds.
        \newcommand{\both}[2]{\cite{#1-#2}}
        \bibliography{refs}
        %! refs.bib
        @article{known, title = {Known Paper}, year = {2020}}
        """;

    private static string[] Undefined(FeatureWorkspace w) =>
        DraftDiagnostics.ForDraft(w.Snapshot, w.Draft).Select(p => p.Message.Split('\'')[1]).ToArray();

    [Fact]
    public void Undefined_keys_of_every_command_and_of_configured_macros_are_reported_and_an_unclosed_cite_swallows_nothing()
    {
        Assert.Equal(["missingA", "missingC"], Undefined(FeatureWorkspace.Load(Draft)));
        var settings = new WorkspaceSettings { LatexCiteCommands = new HashSet<string> { "mycite" } };
        Assert.Equal(["missingA", "missingB", "missingC"], Undefined(FeatureWorkspace.Load(Draft, settings)));
    }
}
