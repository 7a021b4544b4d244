namespace PaperLens.Core;

/// <summary>Why two records were taken for one paper.</summary>
public enum MergeReason { Doi, ArxivId, Title }

/// <summary>Two records of different files merged into the paper now keyed <paramref name="Key"/>.</summary>
public sealed record PaperMerge(string Key, SourceLocation Kept, SourceLocation Merged, MergeReason Reason)
{
    public override string ToString() => $"{Key}: {Merged} merged into {Kept} (same {Reason switch
    {
        MergeReason.Doi => "DOI",
        MergeReason.ArxivId => "arXiv id",
        _ => "title and year",
    }})";
}

/// <summary>The merged papers and every merge of records from different files.</summary>
public sealed record MergeResult(IReadOnlyList<Paper> Papers, IReadOnlyList<PaperMerge> Merges);

/// <summary>
/// Merges records of the same paper found in several sources. Linear in the number of papers. Identifiers are often
/// wrong in real files (a DOI pasted onto two entries, a placeholder eprint on nine), so none is trusted alone:
/// <list type="bullet">
/// <item>same DOI, or same arXiv id, and titles that agree (<see cref="TitleNormalizer.Agree"/>);</item>
/// <item>same distinctive title, and the same year or one missing, and no conflicting DOI or arXiv id.</item>
/// </list>
/// An arXiv id scraped from free text, or a malformed DOI, is no identifier. Two records with source keys from the
/// same file stay apart: they are two keys the user wrote, and each must be rankable.
/// </summary>
public static class PaperMerger
{
    /// <summary>Records that share one identifier but disagree on titles are compared with at most this many others;
    /// an identifier on more different titles is a placeholder, not an identity.</summary>
    private const int MaxCandidatesPerIdentifier = 16;

    /// <summary>Merged papers in order of first appearance, with unique keys (see <see cref="CitationKeys.Assign"/>).</summary>
    public static IReadOnlyList<Paper> Merge(IEnumerable<Paper> papers) => MergeReported(papers).Papers;

    /// <summary>As <see cref="Merge"/>, and which records of different files were merged, and why.</summary>
    public static MergeResult MergeReported(IEnumerable<Paper> papers)
    {
        var list = papers as IReadOnlyList<Paper> ?? papers.ToList();
        var ids = list.Select(Identity.Of).ToArray();
        var groups = new Groups(list);

        UniteBy(ids, groups, id => id.Doi, MergeReason.Doi, (a, b) => TitleNormalizer.Agree(a.Title, b.Title));
        UniteBy(ids, groups, id => id.Arxiv, MergeReason.ArxivId, (a, b) => TitleNormalizer.Agree(a.Title, b.Title));
        UniteBy(ids, groups, id => id.DistinctiveTitle, MergeReason.Title, (a, b) => a.YearsAgree(b) && !a.Conflicts(b));

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

        var merged = CitationKeys.Assign(order.Select(root => Combine(members[root].Select(i => list[i]).ToList())));
        var keyOfRoot = new Dictionary<int, string>(order.Count);
        for (int g = 0; g < order.Count; g++) keyOfRoot[order[g]] = merged[g].Key;
        var merges = groups.Links
            .Where(l => list[l.Kept].Source.File != list[l.Merged].Source.File)
            .Select(l => new PaperMerge(keyOfRoot[groups.Find(l.Kept)], list[l.Kept].Source, list[l.Merged].Source, l.Reason))
            .ToList();
        return new MergeResult(merged, merges);
    }

    /// <summary>Joins each record to the first earlier record with the same key that <paramref name="agree"/> accepts.</summary>
    private static void UniteBy(Identity[] ids, Groups groups, Func<Identity, string?> key, MergeReason reason, Func<Identity, Identity, bool> agree)
    {
        var candidates = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++)
        {
            var k = key(ids[i]);
            if (k == null) continue;
            if (!candidates.TryGetValue(k, out var earlier))
            {
                candidates[k] = [i];
                continue;
            }
            bool joined = false;
            foreach (var e in earlier)
                if (agree(ids[e], ids[i]) && groups.TryUnion(e, i, reason)) { joined = true; break; }
            if (!joined && earlier.Count < MaxCandidatesPerIdentifier) earlier.Add(i);
        }
    }

    /// <summary>One record from several: the first source's location and key (else any source key), each field from the first record that has it, the longest abstract.</summary>
    private static Paper Combine(List<Paper> records)
    {
        var first = records[0];
        if (records.Count == 1) return first;
        var keyed = first.HasSourceKey ? first : records.FirstOrDefault(r => r.HasSourceKey);
        var arxiv = records.FirstOrDefault(r => !string.IsNullOrWhiteSpace(r.ArxivId) && !r.ArxivIdFromText)
            ?? records.FirstOrDefault(r => !string.IsNullOrWhiteSpace(r.ArxivId));
        return first with
        {
            Key = keyed?.Key ?? "",
            HasSourceKey = keyed != null,
            Title = records.Select(r => r.Title).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)) ?? "",
            Authors = records.Select(r => r.Authors).FirstOrDefault(a => a.Count > 0) ?? [],
            Year = records.Select(r => r.Year).FirstOrDefault(y => y != null),
            Venue = FirstText(records, r => r.Venue),
            Abstract = records.Select(r => r.Abstract).Where(a => !string.IsNullOrWhiteSpace(a)).MaxBy(a => a!.Length),
            Doi = records.Select(r => r.Doi).FirstOrDefault(d => PaperIdentifiers.DoiKey(d) != null) ?? FirstText(records, r => r.Doi),
            ArxivId = arxiv?.ArxivId,
            ArxivIdFromText = arxiv?.ArxivIdFromText ?? false,
            Url = FirstText(records, r => r.Url),
            EntryType = records.Select(r => r.EntryType).FirstOrDefault(t => t is { Length: > 0 } and not "misc") ?? first.EntryType,
        };
    }

    private static string? FirstText(List<Paper> records, Func<Paper, string?> field) =>
        records.Select(field).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>What identifies one record: well-formed identifiers from identifier fields, its normalised title and year.</summary>
    private readonly record struct Identity(string? Doi, string? Arxiv, string Title, bool Distinctive, int? Year)
    {
        public string? DistinctiveTitle => Distinctive ? Title : null;

        public static Identity Of(Paper p)
        {
            var arxiv = (p.ArxivIdFromText ? null : PaperIdentifiers.NormalizeArxivId(p.ArxivId)) ?? PaperIdentifiers.ArxivIdFromDoi(p.Doi);
            // An arXiv DOI names the preprint, so it counts as the arXiv id, not as the published version's DOI.
            var doi = PaperIdentifiers.ArxivIdFromDoi(p.Doi) == null ? PaperIdentifiers.DoiKey(p.Doi) : null;
            var title = TitleNormalizer.Normalize(p.Title);
            return new Identity(doi, arxiv, title, TitleNormalizer.IsDistinctive(title), p.Year);
        }

        public bool YearsAgree(Identity other) => Year == null || other.Year == null || Year == other.Year;

        /// <summary>Both carry a DOI (or both an arXiv id) and they differ: different papers despite the same title.</summary>
        public bool Conflicts(Identity other) =>
            (Doi != null && other.Doi != null && Doi != other.Doi) ||
            (Arxiv != null && other.Arxiv != null && Arxiv != other.Arxiv);
    }

    /// <summary>A link that joined two records, kept to report merges.</summary>
    private readonly record struct Link(int Kept, int Merged, MergeReason Reason);

    /// <summary>Union-find over records that refuses to join two groups holding source keys of the same file.</summary>
    private sealed class Groups
    {
        private readonly int[] _parent;
        /// <summary>Per root: the files whose source keys the group holds (null when none).</summary>
        private readonly HashSet<string>?[] _keyedFiles;
        public List<Link> Links { get; } = [];

        public Groups(IReadOnlyList<Paper> papers)
        {
            _parent = Enumerable.Range(0, papers.Count).ToArray();
            _keyedFiles = new HashSet<string>?[papers.Count];
            for (int i = 0; i < papers.Count; i++)
                if (papers[i].HasSourceKey) _keyedFiles[i] = [papers[i].Source.File];
        }

        public int Find(int i)
        {
            while (_parent[i] != i)
            {
                _parent[i] = _parent[_parent[i]];
                i = _parent[i];
            }
            return i;
        }

        /// <summary>Joins two groups unless already one, or both hold a source key of one file; the smaller index stays the root.</summary>
        public bool TryUnion(int a, int b, MergeReason reason)
        {
            int ra = Find(a), rb = Find(b);
            if (ra == rb) return true;
            var (root, child) = ra < rb ? (ra, rb) : (rb, ra);
            HashSet<string>? files = _keyedFiles[root], other = _keyedFiles[child];
            if (files != null && other != null)
            {
                if (files.Overlaps(other)) return false;
                if (files.Count < other.Count) (files, other) = (other, files);
                files.UnionWith(other);
            }
            _keyedFiles[root] = files ?? other;
            _keyedFiles[child] = null;
            _parent[child] = root;
            Links.Add(new Link(a, b, reason));
            return true;
        }
    }
}
