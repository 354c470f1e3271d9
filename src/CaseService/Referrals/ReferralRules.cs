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
    /// The tenant that answers a referral to an organisation of <paramref name="organisationTenantId"/>: that tenant,
    /// or null when the organisation is no tenant of the platform or is the referring tenant itself (an internal
    /// referral, a handover inside the office). Without one the case manager records the status.
    /// </summary>
    public static string? OtherTenant(string? organisationTenantId, string referringTenantId) =>
        organisationTenantId is { } tenant && !string.Equals(tenant, referringTenantId, StringComparison.Ordinal) ? tenant : null;

    /// <summary>
    /// May the status move from <paramref name="from"/> to <paramref name="to"/>? A referral to another tenant is
    /// answered by that tenant (<paramref name="byProviderTenant"/>); the referring tenant may only cancel it.
    /// </summary>
    public static Refusal? CanChange(ReferralStatus from, ReferralStatus to, bool providerIsTenant, bool byProviderTenant)
    {
        if (!Allowed(from).Contains(to))
        {
            return new Refusal("referral-transition", "Statuswechsel nicht möglich",
                $"Eine Vermittlung im Status {from} kann nicht in den Status {to} wechseln; möglich: {string.Join(", ", Allowed(from))}.");
        }

        if (providerIsTenant && !byProviderTenant && to != ReferralStatus.Cancelled)
        {
            return new Refusal("provider-tenant-decides", "Status setzt der Leistungserbringer",
                "Der Leistungserbringer ist ein Mandant der Plattform und setzt diesen Status in seinem eigenen CaseService; der vermittelnde Mandant kann nur abbrechen.");
        }

        return null;
    }

    /// <summary>
    /// The statuses a referral passes from <paramref name="from"/> to the provider tenant's <paramref name="to"/>, in
    /// order and ending with <paramref name="to"/>: more than one when the messages of the steps between are late
    /// (e.g. Accepted -> Started, Completed). Empty when the provider cannot move it there (e.g. it was cancelled here,
    /// or the message is older than the status).
    /// </summary>
    public static IReadOnlyList<ReferralStatus> ProviderSteps(ReferralStatus from, ReferralStatus to)
    {
        if (to is ReferralStatus.Issued or ReferralStatus.Cancelled)
        {
            return [];
        }

        if (Allowed(from).Contains(to))
        {
            return [to];
        }

        foreach (var next in Allowed(from).Where(s => s != ReferralStatus.Cancelled))
        {
            if (ProviderSteps(next, to) is { Count: > 0 } rest)
            {
                return [next, .. rest];
            }
        }

        return [];
    }

    /// <summary>May a referral that passes the identity be issued? Only under a consent naming the provider or its type.</summary>
    public static Refusal? CanShareIdentity(IEnumerable<Consents.Consent> consents, Guid providerId, OrganisationType providerType, DateOnly today) =>
        consents.Any(c => c.Covers(ConsentPurpose.DataTransferToProvider, today, providerId, providerType))
            ? null
            : Refusal.ConsentMissing(ConsentPurpose.DataTransferToProvider);

    /// <summary>
    /// What of the identity a provider tenant gets (data minimisation, GDPR Art. 5(1)(c)): name and birth date to know
    /// whom the referral is about, phone and email to contact the client; the postal address only when neither is
    /// known, since the provider could not reach the client otherwise. Residence status, languages and anything else
    /// stay with the referring tenant.
    /// </summary>
    public static ClientIdentity IdentityForProvider(ClientIdentity identity) =>
        string.IsNullOrWhiteSpace(identity.Phone) && string.IsNullOrWhiteSpace(identity.Email) ? identity : identity with { Address = null };

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
