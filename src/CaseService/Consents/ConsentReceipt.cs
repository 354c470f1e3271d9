using Kim.Contracts;

namespace Kim.CaseService.Consents;

/// <summary>A consent receipt shaped after the fields of ISO/IEC TS 27560 (consent record information structure).</summary>
public sealed record ConsentReceipt(
    string SchemaVersion,
    Guid RecordId,
    DateTime IssuedAt,
    string PiiPrincipalId,
    ReceiptController Controller,
    IReadOnlyList<ReceiptPurpose> Purposes,
    ReceiptEvent[] Events,
    string State,
    DateOnly ExpiresOn,
    string? EvidenceReference,
    string RecordedBy,
    Guid? Renews)
{
    public static ConsentReceipt From(Consent consent, string caseKey, string tenant, DateOnly today, DateTime now)
    {
        var events = new List<ReceiptEvent> { new("requested", Utc(consent.RequestedAt), null) };
        if (consent.GivenAt is { } given)
        {
            events.Add(new("given", Utc(given), consent.GivenBy == ConsentGiver.Representative ? $"representative: {consent.RepresentativeRole}" : "client"));
        }

        if (consent.WithdrawnAt is { } withdrawn)
        {
            events.Add(new("withdrawn", Utc(withdrawn), consent.WithdrawalReason));
        }

        return new ConsentReceipt(
            "ISO/IEC TS 27560:2023 (informative mapping)",
            consent.Id,
            now,
            caseKey,
            new ReceiptController(tenant, "Kommunales Integrationsmanagement"),
            [new ReceiptPurpose(consent.Purpose, Describe(consent), consent.ProviderOrganisationId, consent.ProviderType, LegalBasis(consent.Purpose))],
            [.. events],
            consent.StatusOn(today).ToString(),
            consent.ExpiresOn,
            consent.EvidenceReference,
            consent.RecordedBy,
            consent.RenewsConsentId);
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static string Describe(Consent consent) => consent.Purpose switch
    {
        ConsentPurpose.CaseManagement => "Case Management im Kommunalen Integrationsmanagement",
        ConsentPurpose.CaseConference => "Fallkonferenz mit Organisationen außerhalb des CM-Teams",
        ConsentPurpose.DataTransferToProvider => "Übermittlung personenbezogener Daten an einen Leistungserbringer",
        ConsentPurpose.PlanningPseudonymised => "Pseudonymisierte Nutzung für die Planung",
        _ => consent.Purpose.ToString(),
    };

    private static string LegalBasis(ConsentPurpose purpose) => purpose == ConsentPurpose.PlanningPseudonymised
        ? "GDPR Art. 6(1)(a), Art. 9(2)(a)"
        : "GDPR Art. 6(1)(a), Art. 9(2)(a); SGB X §67b";
}

public sealed record ReceiptController(string TenantId, string Programme);

public sealed record ReceiptPurpose(ConsentPurpose Purpose, string Description, Guid? ProviderOrganisationId, OrganisationType? ProviderType, string LegalBasis);

public sealed record ReceiptEvent(string Event, DateTime At, string? Detail);
