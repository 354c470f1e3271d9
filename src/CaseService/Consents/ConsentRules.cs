using Kim.CaseService.Cases;
using Kim.Contracts;

namespace Kim.CaseService.Consents;

/// <summary>The lifecycle of a consent record: requested -> given -> renewed / withdrawn / expired.</summary>
public static class ConsentRules
{
    public static Refusal? CanAmend(Consent consent) =>
        consent.Status == ConsentStatus.Requested ? null : TermsImmutable(consent.Status);

    public static Refusal? CanGive(Consent consent, DateOnly today)
    {
        if (consent.Status != ConsentStatus.Requested)
        {
            return new Refusal("consent-transition", "Einwilligung nicht offen", $"Only a requested consent can be given; this one is {consent.Status}.");
        }

        return consent.ExpiresOn < today
            ? new Refusal("consent-expired", "Einwilligung abgelaufen", "The consent's expiry date has passed; request a new one.")
            : null;
    }

    /// <summary>Withdrawal is always possible while the consent is requested or in force (GDPR Art. 7(3)).</summary>
    public static Refusal? CanWithdraw(Consent consent, DateOnly today) =>
        consent.StatusOn(today) is ConsentStatus.Requested or ConsentStatus.Given
            ? null
            : new Refusal("consent-transition", "Einwilligung nicht widerrufbar", $"The consent is {consent.StatusOn(today)}; there is nothing to withdraw.");

    /// <summary>A given (or expired) consent can be renewed with a later expiry date.</summary>
    public static Refusal? CanRenew(Consent consent, DateOnly newExpiry, DateOnly today)
    {
        if (consent.StatusOn(today) is not (ConsentStatus.Given or ConsentStatus.Expired))
        {
            return new Refusal("consent-transition", "Einwilligung nicht erneuerbar", $"Only a given or expired consent can be renewed; this one is {consent.StatusOn(today)}.");
        }

        return newExpiry <= consent.ExpiresOn || newExpiry < today
            ? new Refusal("consent-expiry", "Ablaufdatum nicht später", "A renewal must expire later than the consent it renews, and not in the past.")
            : null;
    }

    /// <summary>What a withdrawal of <paramref name="withdrawn"/> stops: referrals whose identity transfer no other consent still covers.</summary>
    public static IEnumerable<Referrals.Referral> ReferralsLosingCover(Case @case, Consent withdrawn, DateOnly today)
    {
        if (withdrawn.Purpose != ConsentPurpose.DataTransferToProvider)
        {
            return [];
        }

        var others = @case.Consents.Where(c => c.Id != withdrawn.Id).ToList();
        return @case.Referrals.Where(r =>
            r.SharesPersonalData && r.ConsentWithdrawnAt is null
            && (withdrawn.ProviderOrganisationId == r.ProviderOrganisationId || withdrawn.ProviderType == r.ProviderType)
            && !others.Any(c => c.Covers(ConsentPurpose.DataTransferToProvider, today, r.ProviderOrganisationId, r.ProviderType)));
    }

    private static Refusal TermsImmutable(ConsentStatus status) =>
        new("consent-terms-immutable", "Einwilligung unveränderlich", $"The terms of a consent are fixed once given; this one is {status}. Request a new consent instead.");
}
