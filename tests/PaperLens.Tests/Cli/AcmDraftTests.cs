using System.Xml.Linq;
using PaperLens.Core;
using PaperLens.Features;
using PaperLens.Features.Ranking;
using PaperLens.Server.Cli;
using PaperLens.Sources.Drafts;

namespace PaperLens.Tests.Cli;

/// <summary>`eval-editor --acm … --fields draft`: an ACM-CR citing paper built as the draft its author had open.</summary>
public class AcmDraftTests
{
    private const string Topic = """
        <doc>
          <doi>10.1145/CITING</doi>
          <title>Ranking 50% Faster &amp; Better</title>
          <abstract>We rank passages with distilled_models.</abstract>
          <contexts>
            <context id="01" section="introduction">
              <s cites="3">Deep language models such as BERT [3] changed ranking.</s>
              <s cites="1,2,4">Later work distilled them [1, 2-4].</s>
            </context>
            <context id="02" section="related work">
              <s cites="3">Fine-tuned BERT [3] is the usual re-ranker.</s>
            </context>
          </contexts>
          <references>
            <reference id="1">10.1/A</reference>
            <reference id="2">https://arxiv.org/abs/1503.02531</reference>
            <reference id="3">10.1/BERT</reference>
            <reference id="4">10.1/D</reference>
          </references>
        </doc>
        """;

    private static readonly Dictionary<string, string> Keys = new() { ["10.1/a"] = "keyA", ["10.1/bert"] = "devlin19", ["10.1/d"] = "keyD" };

    [Fact]
    public void The_citing_paper_becomes_a_latex_draft_with_its_title_abstract_sections_and_citations()
    {
        var paper = AcmCitingPaper.Read(XDocument.Parse(Topic));
        Assert.Equal("10.1145/citing", paper.Doi);
        Assert.Equal("10.1/bert", paper.References["3"]);

        string text = EditorEvalCommand.AcmDraftText(paper, r => Keys.GetValueOrDefault(r));
        var draft = new DraftDocument("/eval/draft.tex", text, 1);
        // Each marker a \cite of the keys; a range expands; a reference outside the collection gets a key no entry has.
        Assert.Equal(
            [["devlin19"], ["keyA", "acmcr-ref-2", "devlin19", "keyD"], ["devlin19"]],
            draft.Info.Citations.Select(c => c.Keys.Select(k => k.Key).ToArray()).ToArray());
        Assert.Contains("\\title{Ranking 50\\% Faster \\& Better}", text);
        Assert.Contains("\\section{related work}", text);
        Assert.Contains("distilled\\_models", text);

        // The cursor in the first context's second citation: the query sees the title, abstract and the draft's other citations.
        int at = text.IndexOf("distilled them \\cite{", StringComparison.Ordinal) + "distilled them \\cite{".Length;
        var query = CitationQuery.At(draft, draft.Lines.PositionOf(at));
        Assert.Equal("Ranking 50% Faster & Better", query.DraftTitle);
        Assert.Contains("distilled_models", query.Global);
        Assert.Equal(2, query.CitedInDraft["devlin19"]);
        Assert.Contains("devlin19", query.CitedInParagraph);
    }
    [Fact]
    public void A_query_whose_first_marker_cites_outside_the_collection_is_found_and_its_sentences_citations_removed()
    {
        const string topic = """
            <doc>
              <doi>10.1/citing</doi><title>Email search</title><abstract>Ranking email.</abstract>
              <contexts>
                <context id="01" section="introduction">
                  <s cites="8,10,9">It was tackled with models such as boosted trees [8], SVM-based linear models [10], and et al. networks [9]. Later, SVMs [10] won.</s>
                </context>
              </contexts>
              <references>
                <reference id="8">https://www.microsoft.com/tr-2010</reference>
                <reference id="9">10.1/nn</reference>
                <reference id="10">10.1/svm</reference>
              </references>
            </doc>
            """;
        var keys = new Dictionary<string, string> { ["10.1/nn"] = "nn09", ["10.1/svm"] = "svm10" };
        var draft = new DraftDocument("/eval/draft.tex", EditorEvalCommand.AcmDraftText(AcmCitingPaper.Read(XDocument.Parse(topic)), r => keys.GetValueOrDefault(r)), 1);
        var relevant = new HashSet<string>(["nn09", "svm10"]);

        var (edited, cursor) = EditorEvalCommand.RemoveSentenceCitations(draft, relevant, "It was tackled with models such as boosted trees")!.Value;

        Assert.Contains("such as boosted trees \\cite{}, SVM-based linear models, and et al. networks. Later, SVMs \\cite{svm10} won.", edited.Text);
        int at = edited.Lines.OffsetOf(cursor);
        Assert.Equal("boosted trees \\cite{", edited.Text[(at - 20)..at]);
        var query = CitationQuery.At(edited, cursor);
        Assert.Equal(1, query.CitedInDraft["svm10"]); // the next sentence's citation stays: the author wrote it already
        Assert.False(query.CitedInDraft.ContainsKey("nn09"));
        Assert.Null(EditorEvalCommand.RemoveSentenceCitations(draft, relevant, "a sentence this draft does not hold at all"));
    }
    [Fact]
    public void A_devset_site_whose_context_is_latex_source_is_located_by_its_plain_text()
    {
        var draft = new DraftDocument("/eval/paper.tex",
            "\\section{Spoofing}\nWe used spoofing tools such as \\texttt{parasite6} from \\texttt{thc-ipv6} \\cite{thcIpv6} and \\texttt{sylkie} \\cite{sylkie}.\n", 1);
        const string before = "We used spoofing tools such as \\texttt{parasite6} from \\texttt{thc-ipv6}"; // as the devset gives it: the source
        bool Cites(DraftCitation c) => c.Keys.Any(k => k.Key == "thcIpv6");

        Assert.Null(EditorEvalCommand.LocateCitation(draft, before, Cites)); // "textttparasite6" is not in the draft's plain text
        var found = EditorEvalCommand.LocateCitation(draft, DraftText.ToPlainText(before, draft.Kind), Cites);
        Assert.Equal("thcIpv6", found!.Value.Citation.Keys.Single().Key);
        Assert.Equal(40, found.Value.Score); // the whole window of 40 letters
    }
}
