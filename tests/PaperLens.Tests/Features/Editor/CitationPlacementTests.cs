using PaperLens.Features.CodeActions;

namespace PaperLens.Tests.Features.Editor;

/// <summary>Citing from the lightbulb, Search Papers or the sidebar: the exact text that results.</summary>
public class CitationPlacementTests
{
    private const string Bib = "%! refs.bib\n@article{k, title = {A Paper}, year = {2020}}\n@article{yu2023provable, title = {Provable Training}, year = {2023}}\n";

    private static string Cite(string draft, string key = "k")
    {
        var w = FeatureWorkspace.Load(draft + "\n" + Bib);
        return FeatureWorkspace.Apply(w.Draft, CitationEdits.CiteAt(w.Snapshot, w.Draft, w.Cursor, key));
    }

    [Theory]
    // inside a sentence: at the cursor, after the word it is in
    [InlineData("Scaling laws hol|d for models. Next one.", @"Scaling laws hold~\cite{k} for models. Next one.")]
    [InlineData("Scaling laws |hold for models.", @"Scaling laws~\cite{k} hold for models.")]
    [InlineData("Scaling laws,| we find, hold.", @"Scaling laws~\cite{k}, we find, hold.")]
    // after a sentence: before its closing punctuation
    [InlineData("Trained well across augmentations.| More text here.", @"Trained well across augmentations~\cite{k}. More text here.")]
    [InlineData("Trained well across augmentations. |More text here.", @"Trained well across augmentations~\cite{k}. More text here.")]
    [InlineData("Models, e.g. BERT, work well.|", @"Models, e.g. BERT, work well~\cite{k}.")]
    [InlineData("|Models work well. Others too.", @"Models work well~\cite{k}. Others too.")]
    [InlineData("No full stop here|", @"No full stop here~\cite{k}")]
    // into the citation already there
    [InlineData(@"Trained across augmentations~\cite{yu2023provable}.|", @"Trained across augmentations~\cite{yu2023provable,k}.")]
    [InlineData(@"Trained across augmentations~\citep[p.~3]{yu2023provable}.| Next.", @"Trained across augmentations~\citep[p.~3]{yu2023provable,k}. Next.")]
    [InlineData(@"As shown \cite{yu2023provable|} before.", @"As shown \cite{yu2023provable,k} before.")]
    [InlineData(@"As shown \cite{|} before.", @"As shown \cite{k} before.")]
    [InlineData(@"Already cited~\cite{k}.|", @"Already cited~\cite{k}.")]
    public void Latex(string draft, string expected) => Assert.Equal(expected, Cite("%! paper.tex\n" + draft));

    [Fact]
    public void Latex_on_the_blank_line_after_a_paragraph_cites_its_last_sentence() =>
        Assert.Equal("First one. Second one~\\cite{k}.\n\n", Cite("%! paper.tex\nFirst one. Second one.\n\n|"));

    [Theory]
    [InlineData("The context win|dow is fixed.", "The context window [@k] is fixed.")]
    [InlineData("Extending the context is low.|", "Extending the context is low [@k].")]
    [InlineData("Trained across augmentations [@yu2023provable].|", "Trained across augmentations [@yu2023provable; @k].")]
    [InlineData("Trained across augmentations [@yu2023provable, p. 3].| More.", "Trained across augmentations [@yu2023provable, p. 3; @k]. More.")]
    [InlineData("See [@yu2023provable; @|] here.", "See [@yu2023provable; @k] here.")]
    public void Markdown(string draft, string expected) => Assert.Equal(expected, Cite("%! draft.md\n" + draft));

    [Fact]
    public void A_key_the_bibliography_has_adds_no_entry_and_a_command_line_after_the_sentence_is_skipped()
    {
        var w = FeatureWorkspace.Load("%! paper.tex\nModels work.|\n\\bibliography{refs}\n" + Bib);
        var edits = CitationEdits.CiteAt(w.Snapshot, w.Draft, w.Cursor, "k");
        Assert.Equal(@"Models work~\cite{k}." + "\n\\bibliography{refs}", FeatureWorkspace.Apply(w.Draft, edits));
        Assert.DoesNotContain(edits, e => e.Path.EndsWith(".bib", StringComparison.Ordinal)); // already in refs.bib
    }

    [Theory]
    [InlineData("%! draft.md\n---\ntitle: A| draft about many things\nbibliography: refs.bib\n---\n\nProse about many things here.", false)]
    [InlineData("%! draft.md\nProse about many things here.\n|\nMore prose about other things.", false)]
    [InlineData("%! draft.md\n# A heading| with words in it\n\nProse.", false)]
    [InlineData("%! draft.md\n```\ncode| about many things here\n```", false)]
    [InlineData("%! draft.md\nProse about| many things here.", true)]
    [InlineData("%! paper.tex\n\\documentclass{article}\n\\begin{document|}\nLarge models are trained with fixed windows.", false)]
    [InlineData("%! paper.tex\n\\documentclass{article}\n\\begin{document}\nLarge models| are trained with fixed windows.", true)]
    public void Cite_actions_only_on_prose(string source, bool prose)
    {
        var w = FeatureWorkspace.Load(source);
        Assert.Equal(prose, CitationCodeActions.IsProse(w.Draft, w.Cursor));
    }
}
