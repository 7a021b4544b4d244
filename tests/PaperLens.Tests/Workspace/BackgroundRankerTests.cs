using System.Collections.Concurrent;
using PaperLens.Features;
using PaperLens.Features.Ranking;
using PaperLens.Index;
using PaperLens.Server.Workspace;

namespace PaperLens.Tests.Workspace;

/// <summary>The background ranker's query and its jobs (with a stand-in job that records what it was asked).</summary>
public class BackgroundRankerTests
{
    private const string Tex = "\\documentclass{article}\n\\begin{document}\nWe extend the context window. Large models need length extrapolation|\n\n\\end{document}\n";
    private const string Md = "Intro.\n\nWe extend the context window. Large models need length extrapolation|\n";

    /// <summary>The ranking the background job caches at the end of the typed text is the one completion asks for after `\cite{` or `[@`.</summary>
    [Theory]
    [InlineData("paper.tex", Tex, " \\cite{|")]
    [InlineData("paper.tex", Tex, " \\cite{|}")]
    [InlineData("paper.tex", Tex, "~\\citep{|}")]
    [InlineData("draft.md", Md, " [@|")]
    [InlineData("draft.md", Md, " [@|]")]
    [InlineData("draft.md", Md, " [-@|]")]
    [InlineData("draft.md", Md, " @|")]
    public void An_empty_citation_keeps_the_ranking_key(string name, string text, string typed)
    {
        string Key(string withCursor)
        {
            int at = withCursor.IndexOf('|');
            var draft = new DraftDocument("/work/" + name, withCursor.Remove(at, 1), 1);
            var snapshot = new WorkspaceSnapshot { Catalog = PaperCatalog.Empty(), Drafts = WorkspaceSnapshotDrafts(draft) };
            return CitationRanker.CacheKeyFor(snapshot, CitationQuery.At(draft, draft.Lines.PositionOf(at)), []);
        }
        Assert.Equal(Key(text), Key(text.Replace("|", typed)));
        // Inside an existing sentence too: the rest of the sentence stays in the query, the empty citation does not.
        string inside = text.Replace("length|", "length|, and more.");
        if (typed.EndsWith('}') || typed.EndsWith(']')) Assert.Equal(Key(inside), Key(inside.Replace("|", typed)));
    }

    private static System.Collections.Immutable.ImmutableDictionary<string, DraftDocument> WorkspaceSnapshotDrafts(DraftDocument draft) =>
        System.Collections.Immutable.ImmutableDictionary.Create<string, DraftDocument>(WorkspaceSnapshot.PathComparer).Add(draft.Path, draft);

    [Fact]
    public void A_changed_paragraph_cancels_the_stale_job_and_an_empty_citation_does_not()
    {
        const string path = "/work/paper.tex";
        string head = "\\documentclass{article}\n\\begin{document}\n";
        var current = Snapshot(path, head + "Attention is all we need");
        var jobs = new ConcurrentQueue<(string Sentence, CancellationToken Ct)>();
        var release = new ManualResetEventSlim();
        int running = 0, mostAtOnce = 0;
        using var ranker = new BackgroundRanker(() => Volatile.Read(ref current), TimeSpan.Zero, (_, query, _, ct) =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            jobs.Enqueue((query.Sentence, ct));
            try
            {
                while (!release.IsSet) { ct.ThrowIfCancellationRequested(); Thread.Sleep(5); }
            }
            finally { Thread.Sleep(20); Interlocked.Decrement(ref running); } // a stale job takes a moment to stop
        });

        ranker.Schedule(path, new LinePosition(2, "Attention is all we need".Length));
        Until(() => jobs.Count == 1);
        var first = jobs.Single();
        Assert.Equal("Attention is all we need", first.Sentence);

        // ` \cite{}` with the cursor inside: the same query, so the job goes on and no second one starts.
        Volatile.Write(ref current, Snapshot(path, head + "Attention is all we need \\cite{}"));
        ranker.Schedule(path, new LinePosition(2, "Attention is all we need \\cite{".Length));
        Until(() => ranker.IsSettled);
        Assert.False(first.Ct.IsCancellationRequested);
        Assert.Single(jobs);

        // A new sentence: the running job is stale.
        Volatile.Write(ref current, Snapshot(path, head + "Attention is all we need. Retrieval helps"));
        ranker.Schedule(path, null);
        Until(() => first.Ct.IsCancellationRequested);
        Until(() => jobs.Count == 2);
        Assert.Contains("Retrieval helps", jobs.Last().Sentence);
        release.Set();
        Until(() => ranker.IsIdle);
        Assert.Equal(1, mostAtOnce);
        Assert.Equal(1, ranker.Completed);
    }

    /// <summary>
    /// Each word typed has its terms read ahead, long before the debounce runs out: the ranking asked after the last word
    /// reads no term from the index, and ranks as a catalog that read everything at once does.
    /// </summary>
    [Fact]
    public void Each_typed_word_is_prefetched_so_the_ranking_reads_no_term()
    {
        using var dir = new TempDirectory();
        string index = dir.Combine("i.db");
        using (var store = PaperStore.Open(index)) new Indexer(store).Sync([Sources.SourceTestSupport.SampleListing], _ => { });
        using var catalog = new PaperCatalog(PaperStore.Open(index), null);
        const string path = "/work/paper.tex";
        string head = "\\documentclass{article}\n\\begin{document}\n", typed = "";
        WorkspaceSnapshot At(string text) => new() { Catalog = catalog, Drafts = WorkspaceSnapshotDrafts(new DraftDocument(path, head + text + "\n\n\\end{document}\n", 1)) };
        var current = At("");
        int ranked = 0;
        using var ranker = new BackgroundRanker(() => Volatile.Read(ref current), TimeSpan.FromHours(1), (_, _, _, _) => Interlocked.Increment(ref ranked));

        var words = "Rotary position embeddings extend the context window of transformer language models by interpolation".Split(' ');
        foreach (var (word, i) in words.Select((w, i) => (w, i)))
        {
            typed += (i == 0 ? "" : " ") + word;
            Volatile.Write(ref current, At(typed));
            ranker.Schedule(path, new LinePosition(2, typed.Length));
            Until(() => ranker.Prefetched == i + 1);
        }
        long reads = catalog.TermReads;
        Assert.True(reads > 0);
        var draft = current.Drafts[path];
        var query = CitationQuery.At(draft, new LinePosition(2, typed.Length));
        var ranking = CitationRanker.Rank(current, query, []);
        Assert.Equal(reads, catalog.TermReads); // every term was read ahead
        Assert.Equal(0, ranked); // by the prefetch alone: the debounced ranking never ran

        using var fresh = new PaperCatalog(PaperStore.Open(index), null);
        var expected = CitationRanker.Rank(current with { Catalog = fresh }, query, []);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(r => (r.Key, r.Score)), ranking.Select(r => (r.Key, r.Score)));
    }

    /// <summary>
    /// `\cite{` (or `[@`) just typed: completion asks next, so the paragraph is ranked at once, not after the debounce; typing
    /// words keeps waiting. A citation opened on a paragraph never ranked before starts its ranking at once too.
    /// </summary>
    [Theory]
    [InlineData("paper.tex", "\\documentclass{article}\n\\begin{document}\n", " \\cite{", "\n\n\\end{document}\n")]
    [InlineData("draft.md", "Intro.\n\n", " [@", "\n")]
    public void A_citation_just_opened_is_ranked_without_the_debounce(string name, string head, string opener, string tail)
    {
        string path = "/work/" + name;
        WorkspaceSnapshot At(string text) => new() { Catalog = PaperCatalog.Empty(), Drafts = WorkspaceSnapshotDrafts(new DraftDocument(path, head + text + tail, 1)) };
        var current = At("");
        var ranked = new ConcurrentQueue<string>();
        using var ranker = new BackgroundRanker(() => Volatile.Read(ref current), TimeSpan.FromHours(1), (_, query, _, _) => ranked.Enqueue(query.Paragraph));
        int line = head.Count(c => c == '\n');
        void Type(string text)
        {
            Volatile.Write(ref current, At(text));
            ranker.Schedule(path, new LinePosition(line, text.Length));
        }

        Type("Rotary position embeddings extend the context window");
        Until(() => ranker.Prefetched == 1); // looked at: its terms read ahead
        Assert.Empty(ranked); // an hour's debounce
        Type("Rotary position embeddings extend the context window" + opener);
        Until(() => ranked.Count == 1);
        Assert.Contains("context window", ranked.Single());

        // Pasted: a new paragraph and its citation in one change.
        Type("Retrieval augments generation with documents" + opener);
        Until(() => ranked.Count == 2);
        Assert.Contains("Retrieval augments", ranked.Last());
    }

    private static WorkspaceSnapshot Snapshot(string path, string text) =>
        new() { Catalog = PaperCatalog.Empty(), Drafts = WorkspaceSnapshotDrafts(new DraftDocument(path, text + "\n\n\\end{document}\n", 1)) };

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    /// <summary>Waits for a condition (not a timing: the deadline only ends a broken run).</summary>
    private static void Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            Thread.Sleep(5);
        }
    }
}
