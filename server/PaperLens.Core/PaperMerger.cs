namespace PaperLens.Core;

/// <summary>
/// Merges records of the same paper found in several sources: same DOI, else same arXiv id, else the same
/// distinctive title (unless the two records carry different DOIs or arXiv ids). Linear in the number of papers.
/// </summary>
public static class PaperMerger
{
    /// <summary>Merged papers in order of first appearance, with unique keys (see <see cref="CitationKeys.Assign"/>).</summary>
    public static IReadOnlyList<Paper> Merge(IEnumerable<Paper> papers)
    {
        var list = papers as IReadOnlyList<Paper> ?? papers.ToList();
        var ids = list.Select(Identity.Of).ToArray();
        var groups = new UnionFind(list.Count);

        UniteBy(ids, groups, id => id.Doi);
        UniteBy(ids, groups, id => id.Arxiv);
        var byTitle = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++)
        {
            var title = ids[i].Title;
            if (title == null) continue;
            if (!byTitle.TryGetValue(title, out var first)) byTitle[title] = i;
            else if (!ids[first].Conflicts(ids[i])) groups.Union(first, i);
        }

        // Members of each group, in input order; groups ordered by their first member.
        var members = new Dictionary<int, List<int>>();
        var order = new List<int>();
        for (int i = 0; i < list.Count; i++)
        {
            var root = groups.Find(i);
            if (!members.TryGetValue(root, out var m))
            {
                members[root] = m = [];
                order.Add(root);
            }
            m.Add(i);
        }

        var merged = order.Select(root => Combine(members[root].Select(i => list[i]).ToList()));
        return CitationKeys.Assign(merged);
    }

    private static void UniteBy(Identity[] ids, UnionFind groups, Func<Identity, string?> key)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++)
        {
            var k = key(ids[i]);
            if (k == null) continue;
            if (first.TryGetValue(k, out var f)) groups.Union(f, i);
            else first[k] = i;
        }
    }

    /// <summary>One record from several: the first source's location and key (else any source key), each field from the first record that has it, the longest abstract.</summary>
    private static Paper Combine(List<Paper> records)
    {
        var first = records[0];
        if (records.Count == 1) return first;
        var keyed = first.HasSourceKey ? first : records.FirstOrDefault(r => r.HasSourceKey);
        return first with
        {
            Key = keyed?.Key ?? "",
            HasSourceKey = keyed != null,
            Title = records.Select(r => r.Title).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)) ?? "",
            Authors = records.Select(r => r.Authors).FirstOrDefault(a => a.Count > 0) ?? [],
            Year = records.Select(r => r.Year).FirstOrDefault(y => y != null),
            Venue = FirstText(records, r => r.Venue),
            Abstract = records.Select(r => r.Abstract).Where(a => !string.IsNullOrWhiteSpace(a)).MaxBy(a => a!.Length),
            Doi = FirstText(records, r => r.Doi),
            ArxivId = FirstText(records, r => r.ArxivId),
            Url = FirstText(records, r => r.Url),
            EntryType = records.Select(r => r.EntryType).FirstOrDefault(t => t is { Length: > 0 } and not "misc") ?? first.EntryType,
        };
    }

    private static string? FirstText(List<Paper> records, Func<Paper, string?> field) =>
        records.Select(field).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>The normalised identifiers of one record.</summary>
    private readonly record struct Identity(string? Doi, string? Arxiv, string? Title)
    {
        public static Identity Of(Paper p)
        {
            var arxiv = PaperIdentifiers.NormalizeArxivId(p.ArxivId) ?? PaperIdentifiers.ArxivIdFromDoi(p.Doi);
            // An arXiv DOI names the preprint, so it counts as the arXiv id, not as the published version's DOI.
            var doi = PaperIdentifiers.ArxivIdFromDoi(p.Doi) == null ? PaperIdentifiers.DoiKey(p.Doi) : null;
            var title = TitleNormalizer.Normalize(p.Title);
            return new Identity(doi, arxiv, TitleNormalizer.IsDistinctive(title) ? title : null);
        }

        /// <summary>Both carry a DOI (or both an arXiv id) and they differ: different papers despite the same title.</summary>
        public bool Conflicts(Identity other) =>
            (Doi != null && other.Doi != null && Doi != other.Doi) ||
            (Arxiv != null && other.Arxiv != null && Arxiv != other.Arxiv);
    }

    private sealed class UnionFind(int count)
    {
        private readonly int[] _parent = Enumerable.Range(0, count).ToArray();

        public int Find(int i)
        {
            while (_parent[i] != i)
            {
                _parent[i] = _parent[_parent[i]];
                i = _parent[i];
            }
            return i;
        }

        /// <summary>Joins two groups; the smaller index stays the root so groups keep their first member as root.</summary>
        public void Union(int a, int b)
        {
            int ra = Find(a), rb = Find(b);
            if (ra == rb) return;
            if (ra < rb) _parent[rb] = ra; else _parent[ra] = rb;
        }
    }
}
