namespace Kim.Contracts;

/// <summary>
/// The one definition of a referral's target, shared by the case work and the reports: target days are whole days, so
/// a referral keeps a target of <c>T</c> days when the provider answers within <c>T + 1</c> days of the issue (a target
/// of 0 days means within the first day); after that moment a referral still waiting for an answer is overdue, and an
/// answer is late.
/// </summary>
public static class ReferralTarget
{
    /// <summary>The moment from which the referral misses its target.</summary>
    public static DateTime DueAt(DateTime issuedAt, int targetDays) => issuedAt.AddDays(targetDays + 1);
}
