using Kim.CaseService.Cases;
using Kim.Contracts;

namespace Kim.CaseService.Referrals;

/// <summary>The status machine of a referral; null when a change is allowed, else why not.</summary>
public static class ReferralRules
{
    public static IReadOnlyList<ReferralStatus> Allowed(ReferralStatus from) => from switch
    {
        ReferralStatus.Issued => [ReferralStatus.Accepted, ReferralStatus.Rejected, ReferralStatus.Cancelled],
        ReferralStatus.Accepted => [ReferralStatus.Started, ReferralStatus.Rejected, ReferralStatus.Cancelled],
        ReferralStatus.Started => [ReferralStatus.Completed, ReferralStatus.Cancelled],
        _ => [],
    };

    /// <summary>
    /// May the status move from <paramref name="from"/> to <paramref name="to"/>? A referral to another tenant is
    /// answered by that tenant (<paramref name="byProviderTenant"/>); the referring tenant may only cancel it.
    /// </summary>
    public static Refusal? CanChange(ReferralStatus from, ReferralStatus to, bool providerIsTenant, bool byProviderTenant)
    {
        if (!Allowed(from).Contains(to))
        {
            return new Refusal("referral-transition", "Statuswechsel nicht möglich",
                $"A referral that is {from} cannot become {to}; allowed: {string.Join(", ", Allowed(from))}.");
        }

        if (providerIsTenant && !byProviderTenant && to != ReferralStatus.Cancelled)
        {
            return new Refusal("provider-tenant-decides", "Status setzt der Leistungserbringer",
                "The provider is a tenant of the platform and sets this status in its own CaseService; the referring tenant can only cancel.");
        }

        return null;
    }

    /// <summary>May a referral that passes the identity be issued? Only under a consent naming the provider or its type.</summary>
    public static Refusal? CanShareIdentity(IEnumerable<Consents.Consent> consents, Guid providerId, OrganisationType providerType, DateOnly today) =>
        consents.Any(c => c.Covers(ConsentPurpose.DataTransferToProvider, today, providerId, providerType))
            ? null
            : Refusal.ConsentMissing(ConsentPurpose.DataTransferToProvider);

    /// <summary>Applies a status change with its timestamp; the caller checked <see cref="CanChange"/>.</summary>
    public static void Apply(Referral referral, ReferralStatus to, DateTime nowUtc, string? reason, bool? successful, ReferralFailureReason? failureReason)
    {
        referral.Status = to;
        switch (to)
        {
            case ReferralStatus.Accepted:
                referral.AcceptedAt = nowUtc;
                break;
            case ReferralStatus.Started:
                referral.StartedAt = nowUtc;
                break;
            case ReferralStatus.Completed:
                referral.CompletedAt = nowUtc;
                referral.Successful = successful;
                referral.FailureReason = successful == true ? null : failureReason;
                referral.Reason = reason;
                break;
            case ReferralStatus.Rejected:
                referral.RejectedAt = nowUtc;
                referral.Reason = reason;
                break;
            case ReferralStatus.Cancelled:
                referral.CancelledAt = nowUtc;
                referral.Reason = reason;
                break;
        }
    }
}
