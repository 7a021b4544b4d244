using PaperLens.Core;
using PaperLens.Features;
using PaperLens.Index;

namespace PaperLens.Tests.Index;

/// <summary>The few query terms a long paragraph is searched by, and the FTS5 queries they feed.</summary>
public class QueryTermTests
{
    private const string Paragraph =
        "Transformers use attention over the whole sequence. Rotary position embeddings extend the context window of language models.";
    private const string Sentence = "Rotary position embeddings extend the context window of language models.";

    private static readonly Dictionary<string, long> Frequency = new()
    {
        ["transformers"] = 900, ["attention"] = 700, ["whole"] = 800, ["sequence"] = 400, ["rotary"] = 3, ["position"] = 120,
        ["embeddings"] = 300, ["extend"] = 500, ["context"] = 600, ["window"] = 80, ["language"] = 1000, ["models"] = 5000,
    };

    [Fact]
    public void The_sentence_at_the_cursor_gives_its_rarest_terms_first_then_the_paragraph_its_rarest()
    {
        var terms = LexicalQuery.RarestTerms(Paragraph, Sentence, Frequency, maxTerms: 5, maxFocus: 3, postingBudget: long.MaxValue);
        Assert.Equal(["rotary", "window", "position", "embeddings", "sequence"], terms);
    }

    [Fact]
    public void Without_a_focus_the_whole_text_is_ranked_by_rarity()
    {
        var terms = LexicalQuery.RarestTerms(Paragraph, null, Frequency, maxTerms: 4, maxFocus: 0, postingBudget: long.MaxValue);
        Assert.Equal(["rotary", "window", "position", "embeddings"], terms);
    }

    [Fact]
    public void Terms_stop_where_their_postings_would_exceed_the_budget()
    {
        // rotary + window + position = 203 postings; embeddings would make 503.
        var terms = LexicalQuery.RarestTerms(Paragraph, Sentence, Frequency, maxTerms: 16, maxFocus: 8, postingBudget: 500);
        Assert.Equal(["rotary", "window", "position"], terms);
    }

    [Fact]
    public void Common_words_alone_still_give_a_query_and_unknown_words_give_none()
    {
        var common = LexicalQuery.RarestTerms("language attention", null, Frequency, 16, 8, postingBudget: 1000);
        Assert.Equal(["attention", "language"], common); // at least MinTerms, whatever their sum
        Assert.Empty(LexicalQuery.RarestTerms("quokka zebu", null, Frequency, 16, 8, long.MaxValue)); // no paper has them
    }

    [Fact]
    public void A_word_alone_over_the_posting_budget_is_never_a_query_term()
    {
        // Regression: MinTerms kept the two rarest terms whatever their frequency, so a sentence of common words read a
        // hundred thousand postings per term at 1M papers (22-316 ms each).
        Assert.Equal(["language"], LexicalQuery.RarestTerms("language models", null, Frequency, 16, 8, postingBudget: 1000));
        Assert.Empty(LexicalQuery.RarestTerms("language models", null, Frequency, 16, 8, postingBudget: 10));
        Assert.Equal(["window", "models"], LexicalQuery.RarestTerms("window models", null, Frequency, 16, 8, postingBudget: 5000));
    }

    [Fact]
    public void Document_frequencies_count_papers_per_stemmed_term()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        store.ApplyChanges([], [Paper("k1", "Ranking retrieved documents", "About rankings."), Paper("k2", "Ranking again", null), Paper("k3", "Unrelated", "Nothing.")]);
        var df = store.DocumentFrequencies(["rankings", "unrelated", "absent", "bad\"term"]);
        Assert.Equal(2, df["rankings"]);
        Assert.Equal(1, df["unrelated"]);
        Assert.Equal(0, df["absent"]);
        Assert.False(df.ContainsKey("bad\"term"));
    }

    [Fact]
    public void One_pass_scores_title_and_abstract_apart()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        store.ApplyChanges([], [Paper("t", "Rotary embeddings", "Nothing else."), Paper("a", "Other", "Rotary position codes.")]);
        var rows = store.LexicalScores(LexicalQuery.Expression(["rotary"], "title abstract"), [1, 0, 0], [0, 0, 1]).ToDictionary(r => r.Id, r => r.Scores);
        long t = store.GetByKey("t")!.Id, a = store.GetByKey("a")!.Id;
        Assert.True(rows[t][0] > 0 && rows[t][1] == 0);
        Assert.True(rows[a][1] > 0 && rows[a][0] == 0);
    }

    [Fact]
    public void A_long_paragraph_does_not_drown_its_one_rare_word()
    {
        // 70 words before the one that matters: the old query kept the first 64 terms in order and never reached it.
        using var dir = new TempDirectory();
        string path = dir.Combine("i.db");
        var filler = Enumerable.Range(0, 70).Select(i => "filler" + (char)('a' + i % 26) + (char)('a' + i / 26)).ToList();
        using (var store = PaperStore.Open(path))
            store.ApplyChanges([], [Paper("target", "Zygomorphic flowers", "Bilateral symmetry."),
                .. Enumerable.Range(0, 30).Select(i => Paper("f" + i, "Study " + i, string.Join(' ', filler.Take(30))))]);
        using var catalog = new PaperCatalog(PaperStore.Open(path), null);
        var signals = catalog.Signals([new SignalQuery(SignalKind.Lexical, string.Join(' ', filler) + " zygomorphic")], 5, []);
        var top = signals.Papers[signals.Lists[0][0].Id];
        Assert.Equal("target", top.Paper.Key);
    }

    private static Paper Paper(string key, string title, string? abs) =>
        new() { Key = key, Title = title, Abstract = abs, Source = new("x.bib", 1) };
}
