using System.Net;
using System.Text;
using Kim.WebApp.Api;
using Kim.WebApp.Components.Pages.State;
using Kim.WebApp.Components.Pages.Submission;

namespace Kim.WebApp.Tests;

/// <summary>
/// The import of a submission file: what the file says is told apart from what the service answered, and a refusal is
/// read through the one problem path (<see cref="Problem.ReadAsync"/>), whatever the service left out.
/// </summary>
public sealed class StateImportTests
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("""{"schemaVersion":"1.0","period":"2022","municipality":{"id":"05158"}}""");

    [Fact]
    public async Task A_file_that_is_no_json_is_refused_before_the_service_is_asked()
    {
        var gateway = new Gateway(_ => throw new InvalidOperationException("The service must not be asked."));

        var result = await new StateImports(gateway).ImportAsync(Encoding.UTF8.GetBytes("<html>kein JSON</html>"));

        Assert.False(result.Accepted);
        Assert.Equal("Die Datei ist kein JSON-Dokument.", Assert.Single(result.Violations).Reason);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "text/html", "<html><body>Forbidden</body></html>", "Berechtigung")]
    [InlineData(HttpStatusCode.Forbidden, null, "", "Berechtigung")]
    [InlineData(HttpStatusCode.BadGateway, "text/html", "<html>Bad Gateway</html>", "später erneut")]
    public async Task A_refusal_of_the_service_is_not_reported_as_the_files_fault(HttpStatusCode status, string? mediaType, string body, string guidance)
    {
        var gateway = new Gateway(_ => Answer(status, mediaType, body));

        var result = await new StateImports(gateway).ImportAsync(Document);

        Assert.False(result.Accepted);
        Assert.Empty(result.Violations);
        Assert.Equal((int)status, result.Refusal!.Status);
        Assert.Contains(guidance, result.Refusal.Guidance, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_violation_without_a_pointer_belongs_to_the_document_and_the_title_comes_from_the_problem()
    {
        var gateway = new Gateway(_ => Answer(HttpStatusCode.BadRequest, "application/problem+json",
            """{"title":"Meldung ungültig","status":400,"violations":[{"reason":"Kein Objekt."},{"pointer":"/municipality/kind","reason":"Pflichtangabe"}]}"""));

        var result = await new StateImports(gateway).ImportAsync(Document);

        Assert.Equal("Meldung ungültig", result.Refusal!.Title);
        Assert.Equal([new ImportViolation("", "Kein Objekt."), new ImportViolation("/municipality/kind", "Pflichtangabe")], result.Violations);
    }

    [Fact]
    public async Task An_accepted_file_names_its_municipality_and_period_for_the_redirect()
    {
        var gateway = new Gateway(_ => Answer(HttpStatusCode.OK, "application/json", """{"municipalityId":"05158","name":"Kreis Mettmann","kind":"District"}"""));

        var result = await new StateImports(gateway).ImportAsync(Document);

        Assert.True(result.Accepted);
        Assert.True(result.Replaced);
        Assert.Equal("05158", result.MunicipalityId);
        Assert.Equal("2022", result.Period);
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string? mediaType, string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (mediaType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        }

        return new HttpResponseMessage(status) { Content = content };
    }

    private sealed class Gateway(Func<HttpRequestMessage, HttpResponseMessage> answer) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new Handler(answer)) { BaseAddress = new Uri("http://gateway/") };

        private sealed class Handler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answer(request));
        }
    }
}

/// <summary>The API's field errors of the manual answers (<c>answers.&lt;path&gt;</c>) are shown at their fields.</summary>
public sealed class SubmissionFieldErrorTests
{
    [Fact]
    public void Field_errors_of_the_api_reach_the_questions_they_name_and_the_rest_is_said_apart()
    {
        var problem = Problem.From(400, null, "Eingaben ungültig", null, new Dictionary<string, object>
        {
            ["answers.caseBasis.workingGroups"] = new[] { "Eine ganze Zahl ab 0." },
            ["staffing"] = new[] { "Eine Liste von Stellenzeilen." },
        });

        var (atQuestions, elsewhere) = SubmissionDocument.FieldErrors(problem, Survey.Questions);

        Assert.Equal("Eine ganze Zahl ab 0.", atQuestions["caseBasis.workingGroups"]);
        Assert.Single(atQuestions);
        Assert.Equal(["Eine Liste von Stellenzeilen."], elsewhere);
    }

    [Fact]
    public async Task The_guidance_of_a_submission_refusal_comes_from_the_one_table_of_problem()
    {
        var refusal = await Problem.Of(() => throw new Clients.Reporting.Models.HttpValidationProblemDetails
        {
            ResponseStatusCode = 409,
            Title = "Vier-Augen-Prinzip",
            Detail = "Freigeben kann nur eine andere Person.",
        });

        Assert.Contains("Eine zweite Koordinatorin oder ein zweiter Koordinator gibt die Meldung frei", refusal!.Guidance, StringComparison.Ordinal);
        Assert.Equal("Freigeben kann nur eine andere Person.", refusal.Detail);
    }
}
