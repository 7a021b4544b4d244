using PaperLens.Core;
using PaperLens.Index;

namespace PaperLens.Features.Ranking;

/// <summary>
/// What the cursor's sentence says that can name one paper: surnames ("Devlin et al."), the words of a bib key
/// ("kingma2014adam": kingma, adam), and name-like terms (BERT, ImageNet, GPT) that a title may hold. Built once per
/// query; each test on a candidate is a few hash lookups or one scan of its title, no index query.
/// </summary>
public sealed class SentenceNames
{
    private static readonly HashSet<string> KeyNoise = new(StringComparer.Ordinal)
        { "dblp", "conf", "journals", "corr", "abs", "arxiv", "etal", "and", "the", "for", "with", "from", "preprint" };

    private readonly HashSet<string> _capitalised = new(StringComparer.Ordinal); // folded, every capitalised word
    private readonly HashSet<string> _words = new(StringComparer.Ordinal);       // folded, every word
    private readonly List<string> _nameTerms = [];                                // as written, no stop words

    public static SentenceNames Of(string sentence) => new(sentence);

    private SentenceNames(string sentence)
    {
        int position = 0;
        foreach (var word in WordsAsWritten(sentence))
        {
            string folded = AsciiFold.ToKeyPart(word);
            if (folded.Length == 0) continue;
            bool stop = LexicalQuery.Terms(word).Count == 0; // a stop word or a single letter
            if (!stop) _words.Add(folded);
            bool upperFirst = char.IsUpper(word[0]);
            if (upperFirst) _capitalised.Add(folded);
            int uppers = word.Count(char.IsUpper);
            bool nameLike = word.Length >= 2 && (uppers >= 2 || (uppers >= 1 && word.Any(char.IsDigit)) || (upperFirst && position > 0));
            if (nameLike && !stop && !_nameTerms.Contains(word, StringComparer.OrdinalIgnoreCase)) _nameTerms.Add(word);
            position++;
        }
    }

    /// <summary>The surname of the candidate's first author (1) or of another author (0.5) written capitalised in the sentence.</summary>
    public (double Score, string? Name) NamedAuthor(Paper paper)
    {
        for (int i = 0; i < paper.Authors.Count; i++)
        {
            string surname = LastWord(paper.Authors[i].Family);
            string folded = AsciiFold.ToKeyPart(surname);
            if (folded.Length >= 2 && _capitalised.Contains(folded)) return (i == 0 ? 1 : 0.5, surname);
        }
        return (0, null);
    }

    /// <summary>How many words of the bib key (up to 2, as 0.5 each) are words of the sentence, and the first.</summary>
    public (double Score, string? Word) KeyWords(string key)
    {
        int matched = 0;
        string? first = null;
        foreach (var part in MatchedKeyWords(key))
        {
            first ??= part;
            if (++matched == 2) break;
        }
        return (matched / 2.0, first);
    }

    /// <summary>The words of the bib key that are words of the sentence.</summary>
    public IEnumerable<string> MatchedKeyWords(string key) => KeyParts(key).Where(_words.Contains);

    /// <summary>The first name-like term of the sentence (BERT, ImageNet) that is a word of the title.</summary>
    public string? TitleTerm(Paper paper) => TitleTerms(paper).FirstOrDefault();

    /// <summary>The name-like terms of the sentence that are words of the title.</summary>
    public IEnumerable<string> TitleTerms(Paper paper) => _nameTerms.Where(term => HasWord(paper.Title, term));

    /// <summary>A key's words: letter runs of 3 or more (split at case changes, digits and punctuation), lowercase.</summary>
    public static IEnumerable<string> KeyParts(string key)
    {
        int start = -1;
        for (int i = 0; i <= key.Length; i++)
        {
            bool letter = i < key.Length && char.IsAsciiLetter(key[i]);
            bool split = !letter || (start >= 0 && char.IsAsciiLetterUpper(key[i]) && char.IsAsciiLetterLower(key[i - 1]));
            if (split && start >= 0)
            {
                string part = key[start..i].ToLowerInvariant();
                if (part.Length >= 3 && !KeyNoise.Contains(part)) yield return part;
                start = -1;
            }
            if (letter && start < 0) start = i;
        }
    }

    private static bool HasWord(string text, string word)
    {
        for (int at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            int end = at + word.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end]))) return true;
        }
        return false;
    }

    private static string LastWord(string family)
    {
        int space = family.TrimEnd().LastIndexOf(' ');
        return space < 0 ? family.Trim() : family[(space + 1)..].Trim();
    }

    /// <summary>Runs of letters and digits, case kept.</summary>
    private static IEnumerable<string> WordsAsWritten(string text)
    {
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0) { yield return text[start..i]; start = -1; }
        }
    }
}
