using Kim.CaseService.Cases;
using Kim.ServiceDefaults;

namespace Kim.UnitTests;

public sealed class ValidationTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    /// <summary>The errors a 400 would carry, by field.</summary>
    private static IDictionary<string, string[]> Errors(Validation validation) => validation.ToProblem().ProblemDetails.Errors;

    [Fact]
    public void A_complete_client_is_valid() =>
        Assert.True(new OpenCaseRequest { Client = new ClientRequest { GivenName = "Amira", FamilyName = "Haddad", BirthDate = new DateOnly(1991, 4, 12) } }
            .Validate(Today).IsValid);

    [Theory]
    [InlineData("A\u0000mira", "Enthält Steuer- oder unsichtbare Zeichen.")]
    [InlineData("Am\u200Bira", "Enthält Steuer- oder unsichtbare Zeichen.")]
    [InlineData("Ami\u202Era", "Enthält Steuer- oder unsichtbare Zeichen.")]
    [InlineData("\t", "Pflichtangabe.")]
    public void Names_with_control_or_invisible_characters_are_refused(string givenName, string message)
    {
        var validation = new OpenCaseRequest { Client = new ClientRequest { GivenName = givenName, FamilyName = "Haddad", BirthDate = new DateOnly(1991, 4, 12) } }
            .Validate(Today);

        Assert.False(validation.IsValid);
        var error = Assert.Single(Errors(validation));
        Assert.Equal("client.givenName", error.Key);
        Assert.Equal([message], error.Value);
    }

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
        var future = new OpenCaseRequest { Client = new ClientRequest { GivenName = "A", FamilyName = "B", BirthDate = Today.AddDays(1) } }.Validate(Today);
        var tooOld = new OpenCaseRequest { Client = new ClientRequest { GivenName = "A", FamilyName = "B", BirthDate = Today.AddYears(-121) } }.Validate(Today);

        Assert.False(future.IsValid);
        Assert.Equal(new Dictionary<string, string[]> { ["client.birthDate"] = ["Darf nicht in der Zukunft liegen."] }, Errors(future));
        Assert.False(tooOld.IsValid);
        Assert.Equal(new Dictionary<string, string[]> { ["client.birthDate"] = ["Muss innerhalb der letzten 120 Jahre liegen."] }, Errors(tooOld));
        Assert.True(new OpenCaseRequest { Client = new ClientRequest { GivenName = "A", FamilyName = "B", BirthDate = Today } }.Validate(Today).IsValid);
    }

    [Fact]
    public void Missing_client_is_one_error_on_client()
    {
        var validation = new OpenCaseRequest().Validate(Today);

        Assert.False(validation.IsValid);
        Assert.Equal(new Dictionary<string, string[]> { ["client"] = ["Pflichtangabe."] }, Errors(validation));
    }
}
