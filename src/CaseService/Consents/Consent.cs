using Kim.Contracts;

namespace Kim.CaseService.Consents;

public enum ConsentStatus
{
    Requested,
    Given,

    /// <summary>Replaced by a renewal (a new record with the same terms and a new expiry).</summary>
    Renewed,
    Withdrawn,
    Expired,
}

public enum ConsentGiver
{
    Client,

    /// <summary>A legal representative, e.g. a guardian (Vormund) or custodial parent.</summary>
    Representative,
}

/// <summary>
/// A consent record after ISO/IEC TS 27560: one purpose, fixed terms (purpose, provider, expiry), who gave it and
/// how it is evidenced. The terms can change only while it is requested; afterwards only its state moves.
/// </summary>
public sealed class Consent
{
    public Guid Id { get; init; }

    public Guid CaseId { get; init; }

    public ConsentPurpose Purpose { get; set; }

    /// <summary>For <see cref="ConsentPurpose.DataTransferToProvider"/>: a named provider organisation ...</summary>
    public Guid? ProviderOrganisationId { get; set; }

    /// <summary>... or every provider of one organisation type.</summary>
    public OrganisationType? ProviderType { get; set; }

    public DateOnly ExpiresOn { get; set; }

    public ConsentStatus Status { get; set; } = ConsentStatus.Requested;

    public DateTime RequestedAt { get; init; }

    public DateTime? GivenAt { get; set; }

    public ConsentGiver? GivenBy { get; set; }

    /// <summary>Role of the representative (e.g. "Vormund"), no name.</summary>
    public string? RepresentativeRole { get; set; }

    /// <summary>Where the signed form or recording is kept, e.g. "Akte 2026/117, Bl. 4".</summary>
    public string? EvidenceReference { get; set; }

    public required string RecordedBy { get; init; }

    public DateTime? WithdrawnAt { get; set; }

    public string? WithdrawalReason { get; set; }

    /// <summary>The record this one renews.</summary>
    public Guid? RenewsConsentId { get; init; }

    /// <summary>The state as of <paramref name="today"/>: a given consent past its expiry date is expired.</summary>
    public ConsentStatus StatusOn(DateOnly today) =>
        Status == ConsentStatus.Given && ExpiresOn < today ? ConsentStatus.Expired : Status;

    public bool IsActiveOn(DateOnly today) => StatusOn(today) == ConsentStatus.Given;

    /// <summary>Whether this consent allows <paramref name="purpose"/> (for a provider: that provider, by id or type) today.</summary>
    public bool Covers(ConsentPurpose purpose, DateOnly today, Guid? providerId = null, OrganisationType? providerType = null)
    {
        if (Purpose != purpose || !IsActiveOn(today))
        {
            return false;
        }

        if (purpose != ConsentPurpose.DataTransferToProvider)
        {
            return true;
        }

        return (ProviderOrganisationId is { } named && named == providerId)
            || (ProviderType is { } type && type == providerType);
    }
}
