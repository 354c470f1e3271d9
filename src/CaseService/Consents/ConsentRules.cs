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
            return new Refusal("consent-transition", "Einwilligung nicht offen", $"Nur eine angefragte Einwilligung kann erteilt werden; diese hat den Status {consent.Status}.");
        }

        return consent.ExpiresOn < today
            ? new Refusal("consent-expired", "Einwilligung abgelaufen", "Das Ablaufdatum der Einwilligung ist überschritten; holen Sie eine neue Einwilligung ein.")
            : null;
    }

    /// <summary>Withdrawal is always possible while the consent is requested or in force (GDPR Art. 7(3)).</summary>
    public static Refusal? CanWithdraw(Consent consent, DateOnly today) =>
        consent.StatusOn(today) is ConsentStatus.Requested or ConsentStatus.Given
            ? null
            : new Refusal("consent-transition", "Einwilligung nicht widerrufbar", $"Die Einwilligung hat den Status {consent.StatusOn(today)}; es gibt nichts zu widerrufen.");

    /// <summary>A given (or expired) consent can be renewed with a later expiry date.</summary>
    public static Refusal? CanRenew(Consent consent, DateOnly newExpiry, DateOnly today)
    {
        if (consent.StatusOn(today) is not (ConsentStatus.Given or ConsentStatus.Expired))
        {
            return new Refusal("consent-transition", "Einwilligung nicht erneuerbar", $"Nur eine erteilte oder abgelaufene Einwilligung kann erneuert werden; diese hat den Status {consent.StatusOn(today)}.");
        }

        return newExpiry <= consent.ExpiresOn || newExpiry < today
            ? new Refusal("consent-expiry", "Ablaufdatum nicht später", "Eine Erneuerung muss später ablaufen als die erneuerte Einwilligung und darf nicht in der Vergangenheit ablaufen.")
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
        new("consent-terms-immutable", "Einwilligung unveränderlich", $"Die Bedingungen einer Einwilligung stehen fest, sobald sie erteilt ist; diese hat den Status {status}. Holen Sie stattdessen eine neue Einwilligung ein.");
}
