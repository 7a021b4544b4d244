using System.Collections.Immutable;
using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Features;
using PaperLens.Features.Bib;
using PaperLens.Index;

namespace PaperLens.Tests.Features.Ranking;

/// <summary>A workspace from an inline fixture: drafts and .bib files under /ws, their entries indexed in memory with the hashing embedder.</summary>
internal sealed class RankingFixture : IDisposable
{
    public WorkspaceSnapshot Snapshot { get; }
    public DraftDocument Draft { get; }
    public LinePosition Cursor { get; }

    public RankingFixture(string source, IEnumerable<Paper>? corpus = null, PaperLens.Features.Ranking.RankingWeights? weights = null)
    {
        var fixture = Fixture.Parse(source);
        string Full(string name) => "/ws/" + name;
        var bibs = fixture.Files.Where(f => f.Key.EndsWith(".bib", StringComparison.Ordinal))
            .Select(f => BibDocument.Parse(Full(f.Key), f.Value)).ToList();
        var drafts = fixture.Files.Where(f => DraftDocument.IsDraft(f.Key)).Select(f => new DraftDocument(Full(f.Key), f.Value, 1)).ToList();
        var store = PaperStore.Open(":memory:");
        var papers = bibs.SelectMany(b => b.Entries).Select(e => e.Paper with { Key = e.Key, HasSourceKey = true }).Concat(corpus ?? []).ToList();
        store.ApplyChanges([], papers);
        var embedder = new HashingEmbedder(64);
        new Indexer(store).EmbedPending(embedder);
        Snapshot = new WorkspaceSnapshot
        {
            Catalog = new PaperCatalog(store, embedder),
            Bibs = bibs.ToImmutableDictionary(b => b.Path, b => b, WorkspaceSnapshot.PathComparer),
            Drafts = drafts.ToImmutableDictionary(d => d.Path, d => d, WorkspaceSnapshot.PathComparer),
            Settings = new WorkspaceSettings { Ranking = weights },
        };
        Draft = Snapshot.Drafts[Full(fixture.CursorFile!)];
        Cursor = Draft.Lines.PositionOf(fixture.CursorOffset);
    }

    public void Dispose() => Snapshot.Catalog.Dispose();
}
