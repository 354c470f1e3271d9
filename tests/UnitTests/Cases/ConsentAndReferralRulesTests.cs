using Kim.CaseService.Consents;
using Kim.CaseService.Referrals;
using Kim.Contracts;
using static Kim.UnitTests.Cases.CaseRulesTests;

namespace Kim.UnitTests.Cases;

/// <summary>Every consent gate and the consent and referral lifecycles.</summary>
public sealed class ConsentAndReferralRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly Guid Provider = Guid.NewGuid();

    [Theory]
    [InlineData(ConsentStatus.Given, 1, true)]
    [InlineData(ConsentStatus.Given, 0, true)]
    [InlineData(ConsentStatus.Given, -1, false)]
    [InlineData(ConsentStatus.Requested, 30, false)]
    [InlineData(ConsentStatus.Withdrawn, 30, false)]
    [InlineData(ConsentStatus.Renewed, 30, false)]
    public void Only_a_given_unexpired_consent_is_in_force(ConsentStatus status, int daysToExpiry, bool active)
    {
        var consent = Consent(ConsentPurpose.CaseManagement, status, Today.AddDays(daysToExpiry));
        Assert.Equal(active, consent.Covers(ConsentPurpose.CaseManagement, Today));
        Assert.Equal(status == ConsentStatus.Given && daysToExpiry < 0 ? ConsentStatus.Expired : status, consent.StatusOn(Today));
    }

    [Fact]
    public void A_consent_covers_its_own_purpose_only()
    {
        var consent = Consent(ConsentPurpose.CaseConference);
        Assert.True(consent.Covers(ConsentPurpose.CaseConference, Today));
        Assert.False(consent.Covers(ConsentPurpose.CaseManagement, Today));
        Assert.False(consent.Covers(ConsentPurpose.DataTransferToProvider, Today, Provider, OrganisationType.Jobcenter));
    }

    [Fact]
    public void Sharing_with_a_provider_needs_a_consent_naming_it_or_its_type()
    {
        var named = new[] { Consent(ConsentPurpose.DataTransferToProvider, provider: Provider) };
        var byType = new[] { Consent(ConsentPurpose.DataTransferToProvider, type: OrganisationType.Jobcenter) };
        Assert.Null(ReferralRules.CanShareIdentity(named, Provider, OrganisationType.Carrier, Today));
        Assert.Equal("consent-missing", ReferralRules.CanShareIdentity(named, Guid.NewGuid(), OrganisationType.Carrier, Today)?.Code);
        Assert.Null(ReferralRules.CanShareIdentity(byType, Guid.NewGuid(), OrganisationType.Jobcenter, Today));
        Assert.Equal("consent-missing", ReferralRules.CanShareIdentity(byType, Guid.NewGuid(), OrganisationType.EmploymentAgency, Today)?.Code);
        Assert.Equal("consent-missing", ReferralRules.CanShareIdentity([Consent(ConsentPurpose.CaseManagement)], Provider, OrganisationType.Jobcenter, Today)?.Code);
    }

    [Fact]
    public void Consent_lifecycle_requested_given_renewed_withdrawn()
    {
        var consent = Consent(ConsentPurpose.CaseManagement, ConsentStatus.Requested);
        Assert.Null(ConsentRules.CanAmend(consent));
        Assert.Null(ConsentRules.CanGive(consent, Today));
        Assert.Null(ConsentRules.CanWithdraw(consent, Today));
        Assert.Equal("consent-transition", ConsentRules.CanRenew(consent, Today.AddYears(2), Today)?.Code);

        consent.Status = ConsentStatus.Given;
        Assert.Equal("consent-terms-immutable", ConsentRules.CanAmend(consent)?.Code);
        Assert.Equal("consent-transition", ConsentRules.CanGive(consent, Today)?.Code);
        Assert.Null(ConsentRules.CanRenew(consent, Today.AddYears(2), Today));
        Assert.Equal("consent-expiry", ConsentRules.CanRenew(consent, consent.ExpiresOn, Today)?.Code);
        Assert.Null(ConsentRules.CanWithdraw(consent, Today));

        consent.Status = ConsentStatus.Withdrawn;
        Assert.Equal("consent-transition", ConsentRules.CanWithdraw(consent, Today)?.Code);
        Assert.Equal("consent-transition", ConsentRules.CanRenew(consent, Today.AddYears(2), Today)?.Code);
        Assert.Equal("consent-terms-immutable", ConsentRules.CanAmend(consent)?.Code);
    }

    [Fact]
    public void An_expired_consent_can_be_renewed_but_not_given_or_withdrawn()
    {
        var expired = Consent(ConsentPurpose.CaseManagement, ConsentStatus.Given, Today.AddDays(-3));
        Assert.Null(ConsentRules.CanRenew(expired, Today.AddYears(1), Today));
        Assert.Equal("consent-transition", ConsentRules.CanWithdraw(expired, Today)?.Code);
        Assert.Equal("consent-expired", ConsentRules.CanGive(Consent(ConsentPurpose.CaseManagement, ConsentStatus.Requested, Today.AddDays(-1)), Today)?.Code);
    }

    [Fact]
    public void Withdrawing_a_provider_consent_stops_the_referrals_it_alone_covered()
    {
        var c = CaseIn(CasePhase.ServiceSteering);
        var byName = Consent(ConsentPurpose.DataTransferToProvider, provider: Provider);
        var byType = Consent(ConsentPurpose.DataTransferToProvider, type: OrganisationType.Jobcenter);
        c.Consents.AddRange([byName, byType]);
        var toProvider = new Referral { Id = Guid.NewGuid(), ProviderOrganisationId = Provider, ProviderType = OrganisationType.Jobcenter, SharesPersonalData = true, ProviderOrganisationName = "JC" };
        var withoutIdentity = new Referral { Id = Guid.NewGuid(), ProviderOrganisationId = Provider, ProviderType = OrganisationType.Jobcenter, SharesPersonalData = false, ProviderOrganisationName = "JC" };
        c.Referrals.AddRange([toProvider, withoutIdentity]);

        // The type consent still covers the referral: withdrawing the named one stops nothing.
        Assert.Empty(ConsentRules.ReferralsLosingCover(c, byName, Today));
        byName.Status = ConsentStatus.Withdrawn;
        Assert.Equal([toProvider], ConsentRules.ReferralsLosingCover(c, byType, Today));
        Assert.Empty(ConsentRules.ReferralsLosingCover(c, c.Consents[0], Today));
    }

    public static TheoryData<ReferralStatus, ReferralStatus, bool> ReferralSteps()
    {
        var all = Enum.GetValues<ReferralStatus>();
        var allowed = new HashSet<(ReferralStatus, ReferralStatus)>
        {
            (ReferralStatus.Issued, ReferralStatus.Accepted), (ReferralStatus.Issued, ReferralStatus.Rejected), (ReferralStatus.Issued, ReferralStatus.Cancelled),
            (ReferralStatus.Accepted, ReferralStatus.Started), (ReferralStatus.Accepted, ReferralStatus.Rejected), (ReferralStatus.Accepted, ReferralStatus.Cancelled),
            (ReferralStatus.Started, ReferralStatus.Completed), (ReferralStatus.Started, ReferralStatus.Cancelled),
        };
        var data = new TheoryData<ReferralStatus, ReferralStatus, bool>();
        foreach (var from in all)
        {
            foreach (var to in all)
            {
                data.Add(from, to, allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReferralSteps))]
    public void Referral_status_moves_only_along_its_machine(ReferralStatus from, ReferralStatus to, bool allowed) =>
        Assert.Equal(allowed ? null : "referral-transition", ReferralRules.CanChange(from, to, providerIsTenant: false, byProviderTenant: false)?.Code);

    [Theory]
    [InlineData(ReferralStatus.Accepted, "provider-tenant-decides")]
    [InlineData(ReferralStatus.Rejected, "provider-tenant-decides")]
    [InlineData(ReferralStatus.Cancelled, null)]
    public void A_provider_that_is_a_tenant_decides_itself_the_referring_tenant_only_cancels(ReferralStatus to, string? code)
    {
        Assert.Equal(code, ReferralRules.CanChange(ReferralStatus.Issued, to, providerIsTenant: true, byProviderTenant: false)?.Code);
        Assert.Null(ReferralRules.CanChange(ReferralStatus.Issued, to, providerIsTenant: true, byProviderTenant: true));
    }

    [Fact]
    public void Each_status_keeps_its_timestamp_and_a_referral_waiting_past_its_whole_target_days_is_overdue()
    {
        var issued = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        var referral = new Referral { ProviderOrganisationName = "JC", IssuedAt = issued, TargetDays = 10 };
        // Ten whole days: the eleventh day after the issue still keeps the target.
        Assert.False(referral.IsOverdue(issued.AddDays(11).AddMinutes(-1)));
        Assert.True(referral.IsOverdue(issued.AddDays(11)));
        Assert.False(new Referral { ProviderOrganisationName = "JC", IssuedAt = issued, TargetDays = 0 }.IsOverdue(issued.AddHours(23)));

        ReferralRules.Apply(referral, ReferralStatus.Accepted, issued.AddDays(1), null, null, null);
        // Answered: no longer waiting, so never overdue however long the service takes to start.
        Assert.False(referral.IsOverdue(issued.AddDays(30)));
        ReferralRules.Apply(referral, ReferralStatus.Started, issued.AddDays(2), null, null, null);
        ReferralRules.Apply(referral, ReferralStatus.Completed, issued.AddDays(20), "kein Platz", false, ReferralFailureReason.NoCapacity);
        Assert.Equal(issued.AddDays(1), referral.AcceptedAt);
        Assert.Equal(issued.AddDays(2), referral.StartedAt);
        Assert.Equal(issued.AddDays(20), referral.CompletedAt);
        Assert.Equal(ReferralFailureReason.NoCapacity, referral.FailureReason);
        Assert.False(referral.IsOverdue(issued.AddDays(30)));
    }
}
