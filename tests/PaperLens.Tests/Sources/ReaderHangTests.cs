using PaperLens.Sources.CslJson;
using static PaperLens.Tests.Sources.SourceTestSupport;

namespace PaperLens.Tests.Sources;

/// <summary>
/// Field text that made a reader's pattern backtrack quadratically (200 k blank lines: over 20 s). Each must read at
/// once; the bound is two orders of magnitude above the time it takes, so this is a hang check, not a speed target.
/// </summary>
public class ReaderHangTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public void A_note_of_many_blank_lines_in_CSL_JSON_does_not_hang()
    {
        var json = $$"""[{"id":"a","title":"T","note":"{{string.Concat(Enumerable.Repeat("\\n", 200_000))}}no key here"},{"id":"b","title":"U","note":"Citation Key: smith2020"}]""";
        var papers = ReadWithin(() => ReadText(new CslJsonReader(), json).Papers);
        Assert.Equal("smith2020", papers[1].Key);
    }

    private static T ReadWithin<T>(Func<T> read)
    {
        var task = Task.Run(read);
        Assert.True(task.Wait(Bound), $"reading took over {Bound.TotalSeconds} s");
        return task.Result;
    }
}
