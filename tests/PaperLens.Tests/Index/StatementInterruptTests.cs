using PaperLens.Features;
using PaperLens.Index;
using PaperLens.Tests.Sources;

namespace PaperLens.Tests.Index;

/// <summary>A stale ranking's FTS5 statement is interrupted (sqlite3_interrupt) instead of running to its end.</summary>
public class StatementInterruptTests
{
    /// <summary>An FTS5 statement that never ends on its own: every match, joined with an endless count.</summary>
    private const string Endless =
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n, papers_fts WHERE papers_fts MATCH 'model OR learning'";

    [Fact]
    public void A_cancelled_statement_stops_and_the_connection_serves_the_next_read()
    {
        using var dir = new TempDirectory();
        string index = dir.Combine("i.db");
        using (var writer = PaperStore.Open(index)) new Indexer(writer).Sync([SourceTestSupport.SampleListing], _ => { });
        using var store = PaperStore.Open(index, verify: false);
        var expected = store.LexicalSearch(LexicalQuery.Build("language models"), 10);
        Assert.NotEmpty(expected);

        using var cts = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();
        var running = Task.Run(() =>
        {
            using var interrupt = store.InterruptWhen(cts.Token);
            started.Set();
            return store.Scalar(Endless);
        });
        started.Wait();
        Thread.Sleep(100); // into the statement
        cts.Cancel();
        bool stopped = ((IAsyncResult)running).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)); // a deadline for a broken run only
        if (!stopped) { using var again = new CancellationTokenSource(); using (store.InterruptWhen(again.Token)) again.Cancel(); } // never leave it running
        Assert.True(stopped, "the cancelled statement ran on");
        var error = Assert.Throws<AggregateException>(() => running.Wait()).InnerException!;
        Assert.True(PaperStore.WasInterrupted(error), error.ToString());

        // The same connection reads on, and a token cancelled between statements interrupts none of them.
        Assert.Equal(expected, store.LexicalSearch(LexicalQuery.Build("language models"), 10));
        using (store.InterruptWhen(cts.Token)) Assert.Equal(expected, store.LexicalSearch(LexicalQuery.Build("language models"), 10));
    }

    /// <summary>The catalog's reads give up when their token is cancelled, and its pooled readers serve the next ranking as before.</summary>
    [Fact]
    public void A_cancelled_ranking_leaves_the_catalog_ranking_as_before()
    {
        using var dir = new TempDirectory();
        string index = dir.Combine("i.db");
        using (var writer = PaperStore.Open(index)) new Indexer(writer).Sync([SourceTestSupport.SampleListing], _ => { });
        SignalQuery[] queries =
        [
            new(SignalKind.Lexical, "Large language models need long context windows", "long context windows"),
            new(SignalKind.LexicalTitle, "retrieval augmented generation"), new(SignalKind.LexicalAbstract, "retrieval augmented generation"),
        ];
        using var catalog = new PaperCatalog(PaperStore.Open(index), null);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => catalog.Signals(queries, 20, [], cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => catalog.Prefetch(queries, cancelled.Token));

        using var fresh = new PaperCatalog(PaperStore.Open(index), null);
        var expected = fresh.Signals(queries, 20, []);
        var after = catalog.Signals(queries, 20, []);
        Assert.NotEmpty(expected.Lists[0]);
        Assert.Equal(expected.Lists.Select(l => l.ToList()), after.Lists.Select(l => l.ToList()));
        Assert.Equal(expected.Papers.Keys.Order(), after.Papers.Keys.Order());
    }
}
