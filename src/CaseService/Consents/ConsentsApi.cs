using Kim.CaseService.Cases;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Referrals;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Consents;

/// <summary>The terms of a consent: purpose, for a provider the provider (named or by type), and the expiry date.</summary>
public sealed record ConsentTermsRequest
{
    public ConsentPurpose? Purpose { get; init; }

    public Guid? ProviderOrganisationId { get; init; }

    public OrganisationType? ProviderType { get; init; }

    public DateOnly? ExpiresOn { get; init; }

    public Validation Validate(DateOnly today)
    {
        var validation = new Validation().Required("purpose", Purpose).Required("expiresOn", ExpiresOn)
            .That(ExpiresOn is null || ExpiresOn >= today, "expiresOn", "Darf nicht in der Vergangenheit liegen.")
            .That(ExpiresOn is null || ExpiresOn <= today.AddYears(5), "expiresOn", "Höchstens fünf Jahre im Voraus.");
        if (Purpose == ConsentPurpose.DataTransferToProvider)
        {
            validation.That((ProviderOrganisationId is null) != (ProviderType is null), "providerOrganisationId",
                "Eine Einwilligung zur Weitergabe an Leistungserbringer nennt entweder eine Organisation oder eine Organisationsart.");
        }
        else
        {
            validation.That(ProviderOrganisationId is null && ProviderType is null, "providerOrganisationId", "Nur eine Einwilligung zur Weitergabe an Leistungserbringer nennt einen Leistungserbringer.");
        }

        return validation;
    }
}

public sealed record GiveConsentRequest
{
    public ConsentGiver? GivenBy { get; init; }

    public string? RepresentativeRole { get; init; }

    public string? EvidenceReference { get; init; }

    public Validation Validate() => new Validation().Required("givenBy", GivenBy)
        .Text("representativeRole", RepresentativeRole, required: GivenBy == ConsentGiver.Representative, maxLength: 100)
        .That(GivenBy == ConsentGiver.Representative || RepresentativeRole is null, "representativeRole", "Nur wenn eine Vertreterin oder ein Vertreter die Einwilligung erteilt hat.")
        .Text("evidenceReference", EvidenceReference, maxLength: 300);
}

public sealed record WithdrawConsentRequest
{
    public string? Reason { get; init; }

    public Validation Validate() => new Validation().Text("reason", Reason, required: false, maxLength: 1000);
}

public sealed record RenewConsentRequest
{
    public DateOnly? ExpiresOn { get; init; }

    public string? EvidenceReference { get; init; }

    public Validation Validate() => new Validation().Required("expiresOn", ExpiresOn).Text("evidenceReference", EvidenceReference, maxLength: 300);
}

public sealed record ConsentResponse(
    Guid Id, Guid CaseId, ConsentPurpose Purpose, Guid? ProviderOrganisationId, OrganisationType? ProviderType, DateOnly ExpiresOn,
    ConsentStatus Status, DateTime RequestedAt, DateTime? GivenAt, ConsentGiver? GivenBy, string? RepresentativeRole,
    string? EvidenceReference, string RecordedBy, DateTime? WithdrawnAt, string? WithdrawalReason, Guid? RenewsConsentId)
{
    public static ConsentResponse From(Consent c, DateOnly today) => new(
        c.Id, c.CaseId, c.Purpose, c.ProviderOrganisationId, c.ProviderType, c.ExpiresOn, c.StatusOn(today), ReferralResponse.Utc(c.RequestedAt),
        ReferralResponse.Utc(c.GivenAt), c.GivenBy, c.RepresentativeRole, c.EvidenceReference, c.RecordedBy, ReferralResponse.Utc(c.WithdrawnAt),
        c.WithdrawalReason, c.RenewsConsentId);
}

/// <summary>Consent records per case, and their receipts.</summary>
public static class ConsentsApi
{
    public static RouteGroupBuilder MapConsentsApi(this RouteGroupBuilder tenantApi)
    {
        var consents = tenantApi.MapGroup("/cases/{id:guid}/consents").WithTags("Consents").RequireAuthorization(CasePolicies.CaseWork);
        consents.MapPost("/", Request);
        consents.MapGet("/", List);
        consents.MapPut("/{consentId:guid}", Amend);
        consents.MapPost("/{consentId:guid}/give", Give);
        consents.MapPost("/{consentId:guid}/withdraw", Withdraw);
        consents.MapPost("/{consentId:guid}/renew", Renew);
        consents.MapGet("/{consentId:guid}/receipt", Receipt);
        return tenantApi;
    }

    public static async Task<Results<Created<ConsentResponse>, ValidationProblem, ProblemHttpResult>> Request(
        string tenant, Guid id, ConsentTermsRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = await ValidateTermsAsync(request, services, cancellationToken);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        Consent? consent = null;
        return await CasesApi.ChangeAsync(id, services, found => found, (found, _) =>
        {
            if (found.Status != CaseStatus.Open)
            {
                return found.Status == CaseStatus.Closed ? Refusal.CaseClosed() : Refusal.CaseNotIndicated();
            }

            consent = new Consent
            {
                Id = Guid.CreateVersion7(),
                CaseId = id,
                Purpose = request.Purpose!.Value,
                ProviderOrganisationId = request.ProviderOrganisationId,
                ProviderType = request.ProviderType,
                ExpiresOn = request.ExpiresOn!.Value,
                RequestedAt = services.Now,
                RecordedBy = services.UserId,
            };
            services.Db.Consents.Add(consent);
            services.Audit("consent.requested", "consent", consent.Id);
            return null;
        }, (_, _) => TypedResults.Created($"/api/tenants/{tenant}/cases/{id}/consents/{consent!.Id}", ConsentResponse.From(consent!, services.Today)),
            cancellationToken);
    }

    public static async Task<Results<Ok<ConsentResponse[]>, ProblemHttpResult>> List(
        Guid id, CaseServices services, CancellationToken cancellationToken)
    {
        if (!await services.VisibleCases.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return CaseProblems.NotFound();
        }

        var consents = await services.Db.Consents.AsNoTracking().Where(c => c.CaseId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(consents.OrderBy(c => c.RequestedAt).Select(c => ConsentResponse.From(c, services.Today)).ToArray());
    }

    public static async Task<Results<Ok<ConsentResponse>, ValidationProblem, ProblemHttpResult>> Amend(
        Guid id, Guid consentId, ConsentTermsRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = await ValidateTermsAsync(request, services, cancellationToken);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await ChangeAsync(id, consentId, services, cancellationToken, (_, consent) =>
        {
            if (ConsentRules.CanAmend(consent) is { } refusal)
            {
                return refusal;
            }

            consent.Purpose = request.Purpose!.Value;
            consent.ProviderOrganisationId = request.ProviderOrganisationId;
            consent.ProviderType = request.ProviderType;
            consent.ExpiresOn = request.ExpiresOn!.Value;
            services.Audit("consent.amended", "consent", consent.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<ConsentResponse>, ValidationProblem, ProblemHttpResult>> Give(
        Guid id, Guid consentId, GiveConsentRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await ChangeAsync(id, consentId, services, cancellationToken, (_, consent) =>
        {
            if (ConsentRules.CanGive(consent, services.Today) is { } refusal)
            {
                return refusal;
            }

            consent.Status = ConsentStatus.Given;
            consent.GivenAt = services.Now;
            consent.GivenBy = request.GivenBy;
            consent.RepresentativeRole = request.RepresentativeRole?.Trim();
            consent.EvidenceReference = request.EvidenceReference!.Trim();
            services.Audit("consent.given", "consent", consent.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<ConsentResponse>, ValidationProblem, ProblemHttpResult>> Withdraw(
        Guid id, Guid consentId, WithdrawConsentRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await ChangeAsync(id, consentId, services, cancellationToken, (@case, consent) =>
        {
            if (ConsentRules.CanWithdraw(consent, services.Today) is { } refusal)
            {
                return refusal;
            }

            var losingCover = ConsentRules.ReferralsLosingCover(@case, consent, services.Today).ToList();
            var wasGiven = consent.Status == ConsentStatus.Given;
            consent.Status = ConsentStatus.Withdrawn;
            consent.WithdrawnAt = services.Now;
            consent.WithdrawalReason = request.Reason?.Trim();
            foreach (var referral in losingCover)
            {
                referral.ConsentWithdrawnAt = services.Now;
                if (referral.ProviderTenantId is { } providerTenant)
                {
                    services.Db.AddTenantMessage(new ForwardedReferralWithdrawn
                    {
                        ReferralId = referral.Id,
                        ConsentWithdrawn = true,
                        SourceTenantId = services.TenantId,
                        TargetTenantId = providerTenant,
                        OccurredAt = services.Now,
                    }, services.Now);
                }
            }

            if (wasGiven)
            {
                services.Publish(new ConsentRevoked
                {
                    TenantId = services.TenantId,
                    CaseKey = @case.CaseKey,
                    Purpose = consent.Purpose,
                    ProviderOrganisationId = consent.ProviderOrganisationId,
                    OccurredAt = services.Now,
                });
            }

            services.Audit("consent.withdrawn", "consent", consent.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<ConsentResponse>, ValidationProblem, ProblemHttpResult>> Renew(
        Guid id, Guid consentId, RenewConsentRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        Consent? renewal = null;
        return await ChangeAsync(id, consentId, services, cancellationToken, (@case, consent) =>
        {
            if (ConsentRules.CanRenew(consent, request.ExpiresOn!.Value, services.Today) is { } refusal)
            {
                return refusal;
            }

            consent.Status = ConsentStatus.Renewed;
            renewal = new Consent
            {
                Id = Guid.CreateVersion7(),
                CaseId = @case.Id,
                Purpose = consent.Purpose,
                ProviderOrganisationId = consent.ProviderOrganisationId,
                ProviderType = consent.ProviderType,
                ExpiresOn = request.ExpiresOn!.Value,
                Status = ConsentStatus.Given,
                RequestedAt = services.Now,
                GivenAt = services.Now,
                GivenBy = consent.GivenBy,
                RepresentativeRole = consent.RepresentativeRole,
                EvidenceReference = request.EvidenceReference!.Trim(),
                RecordedBy = services.UserId,
                RenewsConsentId = consent.Id,
            };
            services.Db.Consents.Add(renewal);
            services.Audit("consent.renewed", "consent", renewal.Id);
            return null;
        }, answered: () => renewal!);
    }

    /// <summary>
    /// A consent receipt after ISO/IEC TS 27560 (JSON): the record, its purpose and processing, the controller and
    /// the state. The client appears only by the case's pseudonymous key; the receipt is handed to the client.
    /// </summary>
    public static async Task<Results<Ok<ConsentReceipt>, ProblemHttpResult>> Receipt(
        Guid id, Guid consentId, CaseServices services, CancellationToken cancellationToken)
    {
        var found = await services.VisibleCases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        var consent = await services.Db.Consents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consentId && c.CaseId == id, cancellationToken);
        if (found is null || consent is null)
        {
            return CaseProblems.NotFound("Einwilligung nicht gefunden");
        }

        await services.AuditReadAsync("consent.receipt-exported", "consent", consent.Id, cancellationToken);
        return TypedResults.Ok(ConsentReceipt.From(consent, found.CaseKey, services.TenantId, services.Today, services.Now));
    }

    private static async Task<Validation> ValidateTermsAsync(ConsentTermsRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate(services.Today);
        if (request.ProviderOrganisationId is { } organisationId
            && !await services.Db.ProviderOrganisations.AnyAsync(o => o.Id == organisationId, cancellationToken))
        {
            validation.Add("providerOrganisationId", "Keine Organisation des Netzwerkregisters.");
        }

        return validation;
    }

    /// <summary>A change of one consent is a change of its case (<see cref="CasesApi.ChangeAsync{TPart, TAnswer}"/>); answers the consent, or <paramref name="answered"/>.</summary>
    private static Task<Results<Ok<ConsentResponse>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        Guid id, Guid consentId, CaseServices services, CancellationToken cancellationToken, Func<Case, Consent, Refusal?> change, Func<Consent>? answered = null) =>
        CasesApi.ChangeAsync(id, services, found => found.Consents.SingleOrDefault(c => c.Id == consentId), change,
            (_, consent) => TypedResults.Ok(ConsentResponse.From(answered?.Invoke() ?? consent, services.Today)), cancellationToken, "Einwilligung nicht gefunden");
}
