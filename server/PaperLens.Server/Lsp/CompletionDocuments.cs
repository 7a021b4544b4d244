namespace PaperLens.Server.Lsp;

/// <summary>
/// The documentation of the last completion lists, per document and key, for `completionItem/resolve`: a client that
/// resolves documentation gets the 50 rows of each keystroke without it, and asks for the one it shows. Only the
/// protocol layer keeps this; a list's Markdown is what the feature computed for it.
/// </summary>
public sealed class CompletionDocuments
{
    /// <summary>Lists kept per document: a client resolves items of the list it shows, the last or the one before it.</summary>
    private const int ListsPerDocument = 2;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Dictionary<string, string>>> _byDocument = new(StringComparer.Ordinal);

    public void Remember(string uri, IEnumerable<(string Key, string Documentation)> items)
    {
        var list = items.GroupBy(i => i.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Documentation, StringComparer.Ordinal);
        lock (_lock)
        {
            if (!_byDocument.TryGetValue(uri, out var lists))
            {
                if (_byDocument.Count >= 64) _byDocument.Clear(); // documents no longer completed in
                _byDocument[uri] = lists = [];
            }
            lists.Insert(0, list);
            if (lists.Count > ListsPerDocument) lists.RemoveAt(lists.Count - 1);
        }
    }

    public string? Find(string uri, string key)
    {
        lock (_lock)
            return _byDocument.TryGetValue(uri, out var lists) ? lists.Select(l => l.GetValueOrDefault(key)).FirstOrDefault(d => d is not null) : null;
    }

    public void Forget(string uri)
    {
        lock (_lock) _byDocument.Remove(uri);
    }
}
