using Kim.CaseService.Audit;

namespace Kim.UnitTests.Cases;

public sealed class AuditChainTests
{
    private static List<AuditEntry> Chain(int length)
    {
        var entries = new List<AuditEntry>();
        AuditEntry? previous = null;
        for (var i = 0; i < length; i++)
        {
            var entry = AuditEntry.BySystem("caritas", $"case.read.{i}", "case", Guid.NewGuid().ToString(), "case-management", new DateTime(2026, 11, 23, 8, 0, i, DateTimeKind.Utc));
            AuditChain.Link(entry, previous);
            entries.Add(entry);
            previous = entry;
        }

        return entries;
    }

    private static Task<AuditVerification> VerifyAsync(IEnumerable<AuditEntry> entries) => AuditChain.Verify(entries.ToAsyncEnumerable(), CancellationToken.None);

    [Fact]
    public async Task An_untouched_chain_is_intact()
    {
        var result = await VerifyAsync(Chain(5));
        Assert.True(result.Intact);
        Assert.Equal(5, result.EntriesChecked);
        Assert.Null(result.FirstBrokenSequence);
    }

    [Fact]
    public async Task A_changed_entry_is_named()
    {
        var chain = Chain(5);
        var changed = chain[2];
        chain[2] = new AuditEntry
        {
            Sequence = changed.Sequence,
            At = changed.At,
            User = "mallory",
            Role = changed.Role,
            Tenant = changed.Tenant,
            Action = changed.Action,
            ResourceType = changed.ResourceType,
            ResourceId = changed.ResourceId,
            Purpose = changed.Purpose,
            PreviousHash = changed.PreviousHash,
            Hash = changed.Hash,
        };
        var result = await VerifyAsync(chain);
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Equal(2, result.EntriesChecked);
    }

    [Fact]
    public async Task A_removed_entry_is_named_by_the_sequence_that_is_missing()
    {
        var chain = Chain(5);
        chain.RemoveAt(3);
        var result = await VerifyAsync(chain);
        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task A_rehashed_forgery_is_caught_by_the_next_entry()
    {
        var chain = Chain(4);
        var forged = AuditEntry.BySystem("caritas", "nothing.happened", "case", "x", "case-management", chain[1].At);
        AuditChain.Link(forged, chain[0]);
        chain[1] = forged;
        var result = await VerifyAsync(chain);
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBrokenSequence);
    }
}
