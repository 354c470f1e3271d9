using Kim.CaseService.Cases;
using Kim.CaseService.Referrals;
using Kim.Contracts;
using static Kim.UnitTests.Cases.CaseRulesTests;

namespace Kim.UnitTests.Cases;

/// <summary>Rules around provider tenants and outside organisations: late status messages, the identity passed on, meetings.</summary>
public sealed class ProviderTenantRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Theory]
    [InlineData(ReferralStatus.Issued, ReferralStatus.Accepted, "Accepted")]
    [InlineData(ReferralStatus.Issued, ReferralStatus.Completed, "Accepted,Started,Completed")]
    [InlineData(ReferralStatus.Accepted, ReferralStatus.Completed, "Started,Completed")]
    [InlineData(ReferralStatus.Issued, ReferralStatus.Rejected, "Rejected")]
    [InlineData(ReferralStatus.Accepted, ReferralStatus.Rejected, "Rejected")]
    [InlineData(ReferralStatus.Started, ReferralStatus.Completed, "Completed")]
    [InlineData(ReferralStatus.Started, ReferralStatus.Accepted, "")]
    [InlineData(ReferralStatus.Completed, ReferralStatus.Started, "")]
    [InlineData(ReferralStatus.Cancelled, ReferralStatus.Completed, "")]
    [InlineData(ReferralStatus.Accepted, ReferralStatus.Cancelled, "")]
    public void A_late_provider_status_passes_the_steps_between(ReferralStatus from, ReferralStatus to, string steps) =>
        Assert.Equal(steps, string.Join(',', ReferralRules.ProviderSteps(from, to)));

    [Fact]
    public void The_provider_gets_the_address_only_without_phone_or_email()
    {
        var full = new ClientIdentity("Iryna", "Kovalenko", new DateOnly(1990, 1, 2), "+49 2104 1", "i@example.org", "Musterweg 5");
        Assert.Null(ReferralRules.IdentityForProvider(full).Address);
        Assert.Equal(full with { Address = null }, ReferralRules.IdentityForProvider(full));
        Assert.Null(ReferralRules.IdentityForProvider(full with { Phone = null }).Address);
        Assert.Equal("Musterweg 5", ReferralRules.IdentityForProvider(full with { Phone = null, Email = " " }).Address);
    }

    [Theory]
    [InlineData(CaseReviewKind.Review, new[] { OrganisationType.Carrier, OrganisationType.MunicipalOffice, OrganisationType.MemberTown }, null)]
    [InlineData(CaseReviewKind.Review, new[] { OrganisationType.Jobcenter, OrganisationType.ImmigrationAuthority }, "consent-missing")]
    [InlineData(CaseReviewKind.Review, new[] { OrganisationType.Carrier, OrganisationType.OtherCaseManagement }, "consent-missing")]
    [InlineData(CaseReviewKind.Review, new[] { OrganisationType.SchoolOrDaycare }, "consent-missing")]
    [InlineData(CaseReviewKind.Conference, new[] { OrganisationType.Carrier }, "consent-missing")]
    public void Outside_organisations_need_the_conference_consent_whatever_the_kind(CaseReviewKind kind, OrganisationType[] participants, string? refusal)
    {
        var c = CaseIn(CasePhase.Assessment);
        Assert.Equal(refusal, CaseRules.CanHoldReview(c, kind, coordinatorPresent: true, Today, participants)?.Code);
        c.Consents.Add(Consent(ConsentPurpose.CaseConference));
        Assert.Null(CaseRules.CanHoldReview(c, kind, coordinatorPresent: true, Today, participants));
    }
}
