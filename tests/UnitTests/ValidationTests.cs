using Kim.CaseService.Cases;

namespace Kim.UnitTests;

public sealed class ValidationTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    [Fact]
    public void A_complete_client_is_valid() =>
        Assert.True(new OpenCaseRequest { Client = new ClientRequest { GivenName = "Amira", FamilyName = "Haddad", BirthDate = new DateOnly(1991, 4, 12) } }
            .Validate(Today).IsValid);

    [Theory]
    [InlineData("A\u0000mira")]
    [InlineData("Am\u200Bira")]
    [InlineData("Ami\u202Era")]
    [InlineData("\t")]
    public void Names_with_control_or_invisible_characters_are_refused(string givenName) =>
        Assert.False(new OpenCaseRequest { Client = new ClientRequest { GivenName = givenName, FamilyName = "Haddad", BirthDate = new DateOnly(1991, 4, 12) } }
            .Validate(Today).IsValid);

    [Theory]
    [InlineData("Łukasz")]
    [InlineData("Ђорђе")]
    [InlineData("محمد")]
    [InlineData("O'Neill-Müller")]
    public void Names_in_any_script_are_accepted(string givenName) =>
        Assert.True(new OpenCaseRequest { Client = new ClientRequest { GivenName = givenName, FamilyName = "Haddad", BirthDate = new DateOnly(1991, 4, 12) } }
            .Validate(Today).IsValid);

    [Fact]
    public void Birth_date_in_the_future_or_more_than_120_years_ago_is_refused()
    {
        Assert.False(new OpenCaseRequest { Client = new ClientRequest { GivenName = "A", FamilyName = "B", BirthDate = Today.AddDays(1) } }.Validate(Today).IsValid);
        Assert.False(new OpenCaseRequest { Client = new ClientRequest { GivenName = "A", FamilyName = "B", BirthDate = Today.AddYears(-121) } }.Validate(Today).IsValid);
        Assert.True(new OpenCaseRequest { Client = new ClientRequest { GivenName = "A", FamilyName = "B", BirthDate = Today } }.Validate(Today).IsValid);
    }

    [Fact]
    public void Missing_client_is_one_error_on_client() =>
        Assert.False(new OpenCaseRequest().Validate(Today).IsValid);
}
