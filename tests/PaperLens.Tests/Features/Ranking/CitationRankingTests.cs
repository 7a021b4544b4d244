using PaperLens.Core;
using PaperLens.Features.Completion;
using PaperLens.Features.Ranking;

namespace PaperLens.Tests.Features.Ranking;

public class CitationRankingTests
{
    private const string Bib = """
        %! refs.bib
        @article{gnn, title = {Graph neural networks for molecules}, author = {Ada Lovelace}, year = 2019}
        @article{bert, title = {Pretraining deep bidirectional transformers for language understanding}, author = {Jacob Devlin}, year = 2019}
        @article{resnet, title = {Deep residual learning for image recognition}, author = {Kaiming He}, year = 2016}
        @article{adam, title = {Adam: a method for stochastic optimization}, author = {Diederik Kingma}, year = 2015}
        @article{dropout, title = {Dropout prevents neural networks from overfitting}, author = {Nitish Srivastava}, year = 2014}
        @article{gcn, title = {Semi-supervised classification with graph convolutional networks}, author = {Thomas Kipf}, year = 2017}
        @article{attention, title = {Attention is all you need}, author = {Ashish Vaswani}, year = 2017}
        @article{word2vec, title = {Distributed representations of words and phrases}, author = {Tomas Mikolov}, year = 2013}
        @article{gan, title = {Generative adversarial networks}, author = {Ian Goodfellow}, year = 2014}
        @article{lstm, title = {Long short-term memory}, author = {Sepp Hochreiter}, year = 1997}
        @article{batchnorm, title = {Batch normalization accelerates deep network training}, author = {Sergey Ioffe}, year = 2015}
        @article{own, title = {Molecules as graphs: a study}, author = {Ada Lovelace}, year = 2024}
        """;

    [Fact]
    public void Eval_top_ten_equals_the_completion_items_order()
    {
        using var ws = new RankingFixture("""
            %! paper.tex
            Deep networks for images and words. We train graph networks on molecules with stochastic optimization \cite{|} and dropout.
            """ + "\n" + Bib);
        var completion = CitationCompletion.Complete(ws.Snapshot, ws.Draft, ws.Cursor)!;
        var ranked = CitationRanker.Rank(ws.Snapshot, CitationQuery.At(ws.Draft, ws.Cursor), ws.Snapshot.BibsFor(ws.Draft), allFeatures: true);
        var evalCase = EvalCase.Of("paper", ranked, new HashSet<string>());
        var evalTop = RankingEval.Order(evalCase, CitationRanker.ShippedOrSet(ws.Snapshot)).Take(10).Select(i => evalCase.Keys[i]).ToList();

        Assert.Equal(evalTop, completion.Items.Take(10).Select(i => i.Key).ToList());
        Assert.Equal(10, evalTop.Count);
    }

    [Fact]
    public void A_caller_asking_every_feature_shares_the_ranking_when_the_weights_read_every_feature()
    {
        using var ws = new RankingFixture("%! paper.tex\nGraph neural networks for molecules \\cite{|}.\n" + Bib);
        var (query, bibs) = (CitationQuery.At(ws.Draft, ws.Cursor), ws.Snapshot.BibsFor(ws.Draft));
        var shipped = CitationRanker.ShippedOrSet(ws.Snapshot);
        Assert.True(shipped.UsesEvery);
        var before = CitationRanker.CacheCounts(ws.Snapshot.Catalog);

        var sidebar = CitationRanker.Rank(ws.Snapshot, query, bibs, shipped, allFeatures: true);
        var completion = CitationRanker.Rank(ws.Snapshot, query, bibs, shipped);
        Assert.Same(sidebar, completion);
        // BM25 alone reads one feature: every feature is more work, ranked apart.
        Assert.False(RankingWeights.Bm25.UsesEvery);
        var full = CitationRanker.Rank(ws.Snapshot, query, bibs, RankingWeights.Bm25, allFeatures: true);
        var lean = CitationRanker.Rank(ws.Snapshot, query, bibs, RankingWeights.Bm25);
        Assert.NotEqual(0, full.Single(r => r.Key == "gnn").Feature("lex_sentence_title"));
        Assert.Equal(0, lean.Single(r => r.Key == "gnn").Feature("lex_sentence_title"));

        var after = CitationRanker.CacheCounts(ws.Snapshot.Catalog);
        Assert.Equal(before.Computed + 3, after.Computed);
        Assert.Equal(before.Hits + 1, after.Hits);
    }

    [Fact]
    public void Eval_scores_a_tiny_fixture_exactly()
    {
        // Site 1: the sentence names the graph paper's words: BM25 ranks it first. Site 2: only "memory" matches lstm,
        // but the cited paper is adam, which shares no word: it is unranked, tied at 0 with the others, ordered by key
        // (adam is first among those), so it lands second.
        using var one = new RankingFixture("%! a.tex\nGraph neural networks for molecules \\cite{|}.\n" + Bib);
        using var two = new RankingFixture("%! b.tex\nA recurrent memory \\cite{|}.\n" + Bib);
        var cases = new[] { (one, "gnn"), (two, "adam") }.Select(x =>
            EvalCase.Of(x.Item2, CitationRanker.Rank(x.Item1.Snapshot, CitationQuery.At(x.Item1.Draft, x.Item1.Cursor), x.Item1.Snapshot.BibsFor(x.Item1.Draft), allFeatures: true),
                new HashSet<string>([x.Item2], StringComparer.OrdinalIgnoreCase))).ToList();

        var figures = RankingEval.Score(cases, _ => RankingWeights.Bm25);

        Assert.Equal([0.5, 1.0, 1.0, 1.0], figures.Recall);
        Assert.Equal(0.75, figures.Mrr, 10);
        Assert.Equal(2, figures.Sites);
        var (mean, low, high) = RankingEval.Bootstrap(cases, _ => RankingWeights.Bm25, _ => RankingWeights.Bm25);
        Assert.Equal((0.0, 0.0, 0.0), (mean, low, high));
    }

    [Fact]
    public void Sentence_window_is_the_sentence_before_the_cursor_sentence_and_the_rest_of_it()
    {
        using var ws = new RankingFixture("""
            %! paper.tex
            First we talk about cats. Then about dogs. Graph models \cite{|} help molecules here. Unrelated closing words.
            """ + "\n" + Bib);
        var query = CitationQuery.At(ws.Draft, ws.Cursor);
        Assert.Equal("Then about dogs. Graph models help molecules here.", query.Sentence);
        Assert.Equal("Graph models help molecules here.", query.CursorSentence);
        Assert.Contains("cats", query.Paragraph);
    }

    [Theory]
    [InlineData("We regularise the network, following prior work, with dropout", "with dropout")]
    [InlineData("Models trained (as is usual) with stochastic optimization", "with stochastic optimization")]
    [InlineData("Two methods exist: memory networks and", "memory networks and")]
    [InlineData("as shown by ,", "as shown by")]
    [InlineData("one two three four five six seven eight nine ten", "three four five six seven eight nine ten")]
    public void The_cursor_clause_is_the_last_words_after_the_last_clause_break(string sentence, string clause) =>
        Assert.Equal(clause, CursorClause.Before(sentence));

    [Fact]
    public void The_last_clause_before_the_cursor_marks_the_papers_whose_title_has_its_words()
    {
        using var ws = new RankingFixture("""
            %! paper.tex
            Deep networks overfit. We regularise the network, following prior work on images, with dropout \cite{|} always.
            """ + "\n" + Bib);
        var query = CitationQuery.At(ws.Draft, ws.Cursor);
        var ranked = CitationRanker.Rank(ws.Snapshot, query, ws.Snapshot.BibsFor(ws.Draft), allFeatures: true).ToDictionary(r => r.Key);

        Assert.Equal("with dropout", query.CursorClause);
        Assert.Equal(1.0, ranked["dropout"].Feature("clause_in_title"));
        Assert.Equal(0.0, ranked["resnet"].Feature("clause_in_title")); // "images" is in the sentence, not in its last clause
    }

    [Fact]
    public void The_cursor_sentence_alone_is_its_own_lexical_and_dense_signal()
    {
        // The sentence before names the dropout paper; the cursor's own sentence names the graph one.
        using var ws = new RankingFixture("""
            %! paper.tex
            Dropout prevents overfitting. Graph convolutional models \cite{|} help.
            """ + "\n" + Bib);
        var ranked = CitationRanker.Rank(ws.Snapshot, CitationQuery.At(ws.Draft, ws.Cursor), ws.Snapshot.BibsFor(ws.Draft), allFeatures: true);
        var byKey = ranked.ToDictionary(r => r.Key);
        Assert.Equal(1.0, byKey["gcn"].Feature("lex_cursor_sentence_title"));
        Assert.Equal(1.0, byKey["gcn"].Feature("rrf_lex_cursor_sentence_title")); // first in that list: 61 / (60 + 1)
        Assert.Equal(0.0, byKey["dropout"].Feature("rrf_lex_cursor_sentence_title"));
        Assert.Equal(0.0, byKey["dropout"].Feature("lex_cursor_sentence_title"));
        Assert.True(byKey["dropout"].Feature("lex_sentence_title") > 0);
    }

    [Fact]
    public void Names_in_the_cursor_sentence_mark_the_paper_they_name_and_the_reason_says_so()
    {
        using var ws = new RankingFixture("""
            %! paper.tex
            Dropout helps. We train with Adam as Kingma et al. suggested in 2015 \cite{|}.
            """ + "\n" + Bib);
        var query = CitationQuery.At(ws.Draft, ws.Cursor);
        var ranked = CitationRanker.Rank(ws.Snapshot, query, ws.Snapshot.BibsFor(ws.Draft), allFeatures: true).ToDictionary(r => r.Key);

        Assert.Equal(1, ranked["adam"].Feature("names_author"));
        Assert.Equal(0.5, ranked["adam"].Feature("key_in_sentence"));
        Assert.Equal(1, ranked["adam"].Feature("title_term_in_sentence"));
        Assert.Equal(1, ranked["adam"].Feature("key_share")); // no other key has "adam" or "kingma"
        Assert.Equal(1, ranked["adam"].Feature("title_term_share"));
        Assert.Equal(0, ranked["dropout"].Feature("key_in_sentence")); // the sentence before is not the cursor's
        Assert.Equal(0, ranked["resnet"].Feature("names_author"));
        string reason = RankingReason.Explain(ranked["adam"], query)!;
        Assert.Contains("names Kingma", reason);
        Assert.Contains("mentions Adam", reason);
    }

    [Theory]
    [InlineData("kingma2014adam", "kingma,adam")]
    [InlineData("devlin_bert_2019", "devlin,bert")]
    [InlineData("DBLP:conf/iclr/KitaevKL20", "iclr,kitaev")]
    [InlineData("he2016deep", "deep")]
    public void Key_words_are_letter_runs_split_at_case_changes(string key, string words) =>
        Assert.Equal(words, string.Join(",", SentenceNames.KeyParts(key)));

    [Fact]
    public void The_citing_paper_itself_is_never_suggested_and_its_title_is_weak_context()
    {
        using var ws = new RankingFixture("""
            %! paper.tex
            \title{Molecules as Graphs: A Study}
            \begin{abstract}We study graph neural networks.\end{abstract}

            As shown before \cite{|}.
            """ + "\n" + Bib);
        var query = CitationQuery.At(ws.Draft, ws.Cursor);
        var ranked = CitationRanker.Rank(ws.Snapshot, query, ws.Snapshot.BibsFor(ws.Draft), allFeatures: true);
        Assert.Equal("Molecules as Graphs: A Study", query.DraftTitle);
        Assert.DoesNotContain(ranked, r => r.Key == "own");
        Assert.True(ranked.Single(r => r.Key == "gnn").Feature("lex_global") > 0);
    }

    [Fact]
    public void Draft_citations_are_features_and_the_reason_says_so()
    {
        using var ws = new RankingFixture("""
            %! paper.tex
            Residual nets \cite{resnet} and more.

            Graph networks on molecules \cite{gnn,gcn} and deep images \cite{|}.

            Again \cite{resnet} with \cite{gnn,batchnorm}.
            """ + "\n" + Bib);
        var query = CitationQuery.At(ws.Draft, ws.Cursor);
        var ranked = CitationRanker.Rank(ws.Snapshot, query, ws.Snapshot.BibsFor(ws.Draft), allFeatures: true).ToDictionary(r => r.Key);

        Assert.Equal(Math.Log(3), ranked["resnet"].Feature("cited_in_draft"), 10);
        Assert.Equal(1, ranked["gnn"].Feature("in_paragraph"));
        Assert.Equal(0, ranked["resnet"].Feature("in_paragraph"));
        Assert.Equal(Math.Log(2), ranked["batchnorm"].Feature("cocited"), 10); // with gnn in the last paragraph
        Assert.Equal("gnn", ranked["batchnorm"].CocitedWith);
        Assert.Equal(1, ranked["own"].Feature("author_overlap")); // by Lovelace, whose gnn the draft cites
        Assert.Equal(0, ranked["lstm"].Feature("author_overlap"));
        Assert.Contains("cited 2× in this draft", RankingReason.Explain(ranked["resnet"], query));
        Assert.Contains("often cited with gnn", RankingReason.Explain(ranked["batchnorm"], query));
    }

    [Fact]
    public void A_title_only_entry_is_ranked_with_the_abstract_of_the_same_corpus_paper_and_offered_once()
    {
        var record = new Paper
        {
            Key = "corpus:longshort", Title = "Long Short-Term Memory", Year = 1997, Authors = [new PersonName("Hochreiter", "Sepp")],
            Abstract = "Recurrent backpropagation through gated memory cells learns long time lags.", Source = new SourceLocation("/corpus/c.bib", 1),
        };
        using var ws = new RankingFixture("%! paper.tex\nGated recurrent cells learn long time lags \\cite{|}.\n" + Bib, [record]);
        var ranked = CitationRanker.Rank(ws.Snapshot, CitationQuery.At(ws.Draft, ws.Cursor), ws.Snapshot.BibsFor(ws.Draft), allFeatures: true);

        var lstm = ranked.Single(r => r.Key == "lstm");
        Assert.True(lstm.Feature("lex_sentence_abstract") > 0);
        Assert.Equal(1, lstm.Feature("has_abstract"));
        Assert.DoesNotContain(ranked, r => r.Key == "corpus:longshort");
        Assert.Null(lstm.Paper.Abstract); // the entry itself is not rewritten
    }

    [Fact]
    public void Hover_shows_the_abstract_and_doi_of_the_same_corpus_paper_and_says_where_they_came_from()
    {
        var record = new Paper
        {
            Key = "corpus:lstm97", Title = "Long short-term memory", Year = 1997, Doi = "10.1162/neco.1997.9.8.1735",
            Abstract = "Gated memory cells.", Source = new SourceLocation("/corpus/neural.bib", 12),
        };
        var other = record with { Key = "corpus:other", Year = 2001, Doi = null, Abstract = "A different paper with the same title." };
        using var ws = new RankingFixture("%! paper.tex\nAs in \\cite{lst|m}.\n" + Bib, [record, other]);

        var hover = PaperLens.Features.Hover.CitationHover.Find(ws.Snapshot, ws.Draft, ws.Cursor)!;

        Assert.Contains("Gated memory cells.", hover.Markdown);
        Assert.Contains("DOI 10.1162/neco.1997.9.8.1735", hover.Markdown);
        Assert.Contains("abstract, DOI from the corpus record `corpus:lstm97` (neural.bib:12)", hover.Markdown);
        Assert.DoesNotContain("different paper", hover.Markdown);
    }

    [Fact]
    public void A_corpus_paper_also_in_the_bib_is_offered_once_under_the_bib_key()
    {
        var record = new Paper { Key = "Hochreiter1997", Title = "Long Short-Term Memory", Year = 1997, Abstract = "Recurrent gated memory cells.", Source = new SourceLocation("/corpus/c.bib", 1) };
        using var ws = new RankingFixture("%! paper.tex\nRecurrent gated memory cells \\cite{|}.\n" + Bib, [record]);
        var keys = CitationCompletion.Complete(ws.Snapshot, ws.Draft, ws.Cursor)!.Items.Select(i => i.Key).ToList();
        Assert.Contains("lstm", keys);
        Assert.DoesNotContain("Hochreiter1997", keys);
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void Fit_learns_the_feature_that_marks_the_cited_paper_and_cross_validation_keeps_folds_apart()
    {
        int lex = RankingFeatures.Index("lex_paragraph"), cited = RankingFeatures.Index("cited_in_draft");
        var cases = Enumerable.Range(0, 40).Select(d =>
        {
            // 600 candidates: lexical noise, and the cited one (index d % 600) is the only one cited elsewhere in the draft.
            var rng = new Random(d);
            var features = Enumerable.Range(0, 600).Select(i =>
            {
                var f = new double[RankingFeatures.Count];
                f[lex] = rng.NextDouble();
                f[cited] = i == d % 600 ? 1 : 0;
                return f;
            }).ToArray();
            return new EvalCase($"doc{d}", features, Enumerable.Range(0, 600).Select(i => $"k{i:D3}").ToArray(),
                Enumerable.Range(0, 600).Select(i => i == d % 600).ToArray(), 1);
        }).ToList();

        var weights = RankingEval.Fit(cases, [lex, cited]);
        Assert.True(weights.Values[cited] > 1 && weights.Values[cited] > 5 * Math.Abs(weights.Values[lex]));
        var heldOut = RankingEval.CrossValidated(cases, [lex, cited]);
        Assert.Equal(1.0, RankingEval.Score(cases, heldOut).Mrr, 10);
        Assert.NotSame(heldOut(cases.First(c => RankingEval.FoldOf(c.Document, 5) == 0)), heldOut(cases.First(c => RankingEval.FoldOf(c.Document, 5) == 1)));
    }

    [Theory]
    [InlineData("10.1109/cvpr.2016.90", "Deep residual learning", "10.1109/cvpr.2016.90", "Deep residual learning for image recognition", 2016, 2016, true)]
    [InlineData("10.1109/cvpr.2016.90", "Deep residual learning", "10.1109/cvpr.2016.90", "A survey of quantum chemistry methods", 2016, 2016, false)]
    [InlineData(null, "Deep residual learning for image recognition", null, "Deep Residual Learning for Image Recognition", 2016, 2016, true)]
    [InlineData(null, "Deep residual learning for image recognition", null, "Deep Residual Learning for Image Recognition", 2016, 2017, false)]
    public void Same_paper_needs_an_identifier_with_agreeing_titles_or_title_and_year(string? doiA, string titleA, string? doiB, string titleB, int yearA, int yearB, bool same) =>
        Assert.Equal(same, PaperIdentity.SamePaper(new Paper { Doi = doiA, Title = titleA, Year = yearA }, new Paper { Doi = doiB, Title = titleB, Year = yearB }));
}
