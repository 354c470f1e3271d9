using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.Monitoring;
using Kim.ReportingService.ReadModels;
using Kim.ReportingService.State;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Persistence;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.ReportingService.Submission;

public sealed record SubmissionView(
    string Period, SubmissionStatus Status, JsonObject Document, IReadOnlyList<Violation> Violations, TypeAssessment Assessment,
    string? LastEditedBy, string? ApprovedBy, string? ApproverName, DateTime? ApprovedAt, DateTime? SubmittedAt, int? StateResponseStatus);

public sealed record ApproveRequest
{
    /// <summary>The approving person's name as it appears in the report (e.g. the head of the KI).</summary>
    public string? ApproverName { get; init; }

    public Validation Validate() => new Validation().Text("approverName", ApproverName);
}

/// <summary>The municipal submission: draft from live data and manual answers, approval by a second person, sending to the state.</summary>
public static class SubmissionApi
{
    public const string StateClient = "state";

    private static readonly string[] LiveCounters = [Figure.Opened, Figure.CasesTaken, Figure.Reviews, Figure.Reconstructions, Figure.ReferralsIssued];

    public static RouteGroupBuilder MapSubmissionApi(this RouteGroupBuilder reports)
    {
        var submissions = reports.MapGroup("/submissions/{period}").WithTags("State submission").RequireAuthorization(policy => policy.RequireRole(KimRoles.Coordinator));
        submissions.MapGet("/", Get);
        submissions.MapPut("/answers", Answer).Accepts<JsonObject>("application/json");
        submissions.MapPost("/approve", Approve);
        submissions.MapPost("/submit", Submit);
        return reports;
    }

    public static async Task<Results<Ok<SubmissionView>, ValidationProblem>> Get(
        string period, ReportingDbContext db, IOptions<MunicipalityOptions> municipality, IOptions<TypologyOptions> typology, SubmissionValidator validator,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (PeriodProblem(period) is { } problem)
        {
            return problem;
        }

        var submission = await db.MunicipalSubmissions.AsNoTracking().SingleOrDefaultAsync(s => s.Period == period, cancellationToken)
            ?? new MunicipalSubmission { Period = period };
        return TypedResults.Ok(await ViewAsync(submission, db, municipality.Value, typology.Value, validator, clock, cancellationToken));
    }

    /// <summary>Sets manual answers (<c>{"answers": {"path": value}, "staffing": [...]}</c>); an approved submission returns to draft.</summary>
    public static async Task<IResult> Answer(
        string period, HttpRequest request, ReportingDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (PeriodProblem(period) is { } periodProblem)
        {
            return periodProblem;
        }

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, documentOptions: SubmissionValidator.DocumentOptions, cancellationToken: cancellationToken) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            body = null;
        }

        var validation = new Validation();
        if (body is null)
        {
            return validation.Add("", "Erwartet wird ein JSON-Objekt mit Antworten, jede Angabe einmal.").ToProblem();
        }

        foreach (var number in SubmissionValidator.NumberViolations(body))
        {
            validation.Add(number.Pointer, number.Reason);
        }

        var known = SubmissionBuilder.AnswerPaths().ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in body.Where(p => p.Key is not ("answers" or "staffing")))
        {
            validation.Add(name, "Unbekannte Angabe; erwartet werden answers und staffing.");
        }

        var answers = body["answers"] as JsonObject ?? [];
        foreach (var (path, _) in answers.Where(a => !known.Contains(a.Key)))
        {
            validation.Add($"answers.{path}", "Keine Antwort der Erhebung.");
        }

        validation.That(body["staffing"] is null or JsonArray, "staffing", "Eine Liste von Stellenzeilen.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var submission = await db.MunicipalSubmissions.SingleOrDefaultAsync(s => s.Period == period, cancellationToken);
        if (submission?.Status == SubmissionStatus.Submitted)
        {
            return Conflict("Meldung bereits übermittelt", "Die Meldung wurde an das Land übermittelt; eine Korrektur ist dort ein neuer Import.");
        }

        if (submission is null)
        {
            submission = new MunicipalSubmission { Id = Guid.CreateVersion7(), Period = period };
            db.MunicipalSubmissions.Add(submission);
        }

        var manual = JsonNode.Parse(submission.ManualAnswers)!.AsObject();
        foreach (var (path, value) in answers)
        {
            manual[path] = value?.DeepClone();
        }

        if (body["staffing"] is JsonArray staffing)
        {
            manual["staffing"] = staffing.DeepClone();
        }

        submission.ManualAnswers = manual.ToJsonString();
        submission.LastEditedBy = user.FindFirstValue(KimClaims.Subject);
        submission.LastEditedAt = clock.GetUtcNow().UtcDateTime;
        submission.Status = SubmissionStatus.Draft;
        submission.ApprovedDocument = null;
        submission.ApprovedBy = null;
        submission.ApproverName = null;
        submission.ApprovedAt = null;
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return ConcurrentSave.Problem($"Die Meldung {period} wurde gleichzeitig angelegt; laden Sie sie neu und tragen Sie die Antworten noch einmal ein.");
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>> Approve(
        string period, ApproveRequest request, ReportingDbContext db, IOptions<MunicipalityOptions> municipality, IOptions<TypologyOptions> typology,
        SubmissionValidator validator, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (PeriodProblem(period) is { } periodProblem)
        {
            return periodProblem;
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var submission = await db.MunicipalSubmissions.SingleOrDefaultAsync(s => s.Period == period, cancellationToken);
        if (submission is null || submission.Status != SubmissionStatus.Draft)
        {
            return Conflict("Keine Meldung im Entwurf", $"Only a draft can be approved; this one is {submission?.Status.ToString() ?? "not started"}.");
        }

        var approver = user.FindFirstValue(KimClaims.Subject);
        if (approver == submission.LastEditedBy)
        {
            return Conflict("Vier-Augen-Prinzip", "Wer die Antworten zuletzt geändert hat, kann sie nicht freigeben.");
        }

        var document = await DocumentAsync(submission, db, municipality.Value, clock, cancellationToken);
        var violations = validator.Validate(document.ToJsonString(), out _);
        if (violations.Count > 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Meldung unvollständig", type: ProblemTypes.Conflict,
                detail: $"{violations.Count} Verstoß/Verstöße gegen das Schema der Meldung; siehe violations.", extensions: new Dictionary<string, object?> { ["violations"] = violations });
        }

        var now = clock.GetUtcNow().UtcDateTime;
        document["approval"] = new JsonObject { ["approvedBy"] = request.ApproverName!.Trim(), ["approvedAt"] = now.ToString("O") };
        submission.ApprovedDocument = document.ToJsonString();
        submission.ApprovedBy = approver;
        submission.ApproverName = request.ApproverName!.Trim();
        submission.ApprovedAt = now;
        submission.Status = SubmissionStatus.Approved;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(submission, db, municipality.Value, typology.Value, validator, clock, cancellationToken));
    }

    /// <summary>Sends the approved document to the state's ReportingService; only an approved submission leaves the municipality.</summary>
    public static async Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>> Submit(
        string period, ReportingDbContext db, IHttpClientFactory clients, IOptions<MunicipalityOptions> municipality, IOptions<TypologyOptions> typology,
        SubmissionValidator validator, TimeProvider clock, ClaimsPrincipal user, StateAccessToken stateToken, CancellationToken cancellationToken)
    {
        if (PeriodProblem(period) is { } periodProblem)
        {
            return periodProblem;
        }

        var submission = await db.MunicipalSubmissions.SingleOrDefaultAsync(s => s.Period == period, cancellationToken);
        if (submission is not { Status: SubmissionStatus.Approved, ApprovedDocument: not null })
        {
            return Conflict("Meldung nicht freigegeben", "Nur eine freigegebene Meldung wird an das Land übermittelt.");
        }

        if (!stateToken.IsConfigured)
        {
            return Conflict("Übermittlung nicht eingerichtet", "Weder Reporting:Municipality:ClientId noch Reporting:Municipality:StateToken ist konfiguriert.");
        }

        if (await stateToken.GetAsync(cancellationToken) is not { } token)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Anmeldung beim Land fehlgeschlagen", type: ProblemTypes.Conflict,
                detail: "Der Identitätsanbieter hat die Zugangsdaten der Kommune abgelehnt.");
        }

        var client = clients.CreateClient(StateClient);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(municipality.Value.StateEndpoint), "/api/state/submissions"))
        {
            Content = new StringContent(submission.ApprovedDocument, System.Text.Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(message, cancellationToken);
        submission.StateResponseStatus = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Land hat die Meldung nicht angenommen", type: ProblemTypes.Conflict,
                detail: $"Das Land antwortete mit {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        submission.Status = SubmissionStatus.Submitted;
        submission.SubmittedAt = clock.GetUtcNow().UtcDateTime;
        submission.SubmittedBy = user.FindFirstValue(KimClaims.Subject);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(submission, db, municipality.Value, typology.Value, validator, clock, cancellationToken));
    }

    private static async Task<JsonObject> DocumentAsync(
        MunicipalSubmission submission, ReportingDbContext db, MunicipalityOptions municipality, TimeProvider clock, CancellationToken cancellationToken)
    {
        var figures = await ReadModelStore.LoadAsync(db, LiveCounters, withWaiting: false, cancellationToken);
        var network = await EventHistory.LoadAsync(db, MonitoringApi.NetworkTypes, cancellationToken);
        var live = SubmissionBuilder.LiveAnswers(figures, network, submission.Period, clock.GetUtcNow().UtcDateTime);
        return SubmissionBuilder.Build(municipality, submission.Period, live, JsonNode.Parse(submission.ManualAnswers)!.AsObject());
    }

    private static async Task<SubmissionView> ViewAsync(
        MunicipalSubmission submission, ReportingDbContext db, MunicipalityOptions municipality, TypologyOptions typology, SubmissionValidator validator, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var document = submission.ApprovedDocument is { } approved ? JsonNode.Parse(approved)!.AsObject() : await DocumentAsync(submission, db, municipality, clock, cancellationToken);
        var violations = validator.Validate(document.ToJsonString(), out _);
        var year = submission.Period[..4];
        var handovers = await MonitoringApi.ReferralsAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken, new MonthRange($"{year}-01", $"{year}-12"));
        var assessment = Typology.Assess(document, typology, Typology.Handover(Analyses.HandoverWithinTarget(handovers)));
        return new SubmissionView(submission.Period, submission.Status, document, violations, assessment,
            submission.LastEditedBy, submission.ApprovedBy, submission.ApproverName, Utc(submission.ApprovedAt), Utc(submission.SubmittedAt), submission.StateResponseStatus);
    }

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private static ValidationProblem? PeriodProblem(string period) =>
        Survey.IsYearFormat(period) && int.Parse(period, System.Globalization.CultureInfo.InvariantCulture) is >= 2000 and <= 2100
            ? null
            : new Validation().Add("period", "Ein Jahr aus vier Ziffern zwischen 2000 und 2100, z. B. 2026.").ToProblem();

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, type: ProblemTypes.Conflict);
}
