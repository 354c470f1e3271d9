using System.Security.Claims;
using System.Text.Json.Nodes;
using Kim.ReportingService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Persistence;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.ReportingService.State;

public sealed record SubmissionSummary(string MunicipalityId, string Name, string Kind, DateTime ImportedAt, string ImportedBy);

public sealed record TypologyRow(string MunicipalityId, string Name, string Kind, ImplementationType Type, string TypeLabel, double Mean, IReadOnlyList<DimensionScore> Dimensions);

public sealed record TypologyResult(string Period, IReadOnlyList<TypologyRow> Municipalities, IReadOnlyDictionary<ImplementationType, IReadOnlyDictionary<string, int>> Distribution);

public sealed record StaffingRow(int BuildingBlock, string Kind, double Allocated, double Requested, double Filled);

/// <summary>The ministry's side (state mode): imports submissions and computes the state report's tables.</summary>
public static class StateApi
{
    private const int MaxSubmissionBytes = 256 * 1024;

    public static RouteGroupBuilder MapStateApi(this WebApplication app)
    {
        var state = app.MapGroup("/api/state").WithTags("State report").RequireAuthorization(StateAccess.StateReporter);
        state.MapGet("/schema", () => TypedResults.Text(SubmissionValidator.Schema, "application/schema+json"));
        state.MapPost("/submissions", Import).Accepts<JsonObject>("application/json");
        var ministry = state.MapGroup("").RequireAuthorization(StateAccess.MinistryPerson);
        ministry.MapGet("/submissions", List);
        ministry.MapGet("/crosstab", Crosstab);
        ministry.MapGet("/crosstab.csv", CrosstabCsv);
        ministry.MapGet("/typology", TypologyOf);
        ministry.MapGet("/typology.csv", TypologyCsv);
        ministry.MapGet("/staffing", Staffing);
        ministry.MapGet("/staffing.csv", StaffingCsv);
        ministry.MapGet("/report", Report);
        ministry.MapGet("/report/data", ReportData);
        ministry.MapGet("/crosstab/labelled", LabelledCrosstab);
        return state;
    }

    /// <summary>
    /// Imports one submission: <c>201</c> new, <c>200</c> replaced, <c>400</c> with every violation (the earlier one stays),
    /// <c>403</c> when a municipality's machine client sends another municipality's, <c>409</c> when the same one is being
    /// imported at the same moment.
    /// </summary>
    public static async Task<IResult> Import(
        HttpRequest request, ReportingDbContext db, SubmissionValidator validator, Survey survey, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxSubmissionBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Meldung zu groß", type: ProblemTypes.PayloadTooLarge);
        }

        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxSubmissionBytes + 1];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        if (read > MaxSubmissionBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Meldung zu groß", type: ProblemTypes.PayloadTooLarge);
        }

        var json = new string(buffer, 0, read);
        var violations = validator.Validate(json, out var document).ToList();
        var (statedPeriod, statedId) = (Text(document, "period"), Text((document as JsonObject)?["municipality"], "id"));
        if (StateAccess.Municipality(user) is { } own && statedId is not null && statedId != own)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Meldung einer anderen Kommune", type: ProblemTypes.Forbidden,
                detail: $"Dieser Zugang meldet nur für die Kommune {own}.");
        }

        violations.AddRange(survey.Violations(
            violations.Any(v => v.Pointer == "/period") ? null : statedPeriod,
            violations.Any(v => v.Pointer == "/municipality/id") ? null : statedId));
        if (violations.Count > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Meldung ungültig",
                detail: $"{violations.Count} Verstoß/Verstöße gegen das Schema der Meldung; siehe violations.",
                type: ProblemTypes.Validation,
                extensions: new Dictionary<string, object?>
                {
                    ["violations"] = violations,
                    ["errors"] = violations.GroupBy(v => v.Pointer).ToDictionary(g => g.Key, g => g.Select(v => v.Reason).ToArray()),
                });
        }

        var period = document!["period"]!.GetValue<string>();
        var municipality = document["municipality"]!;
        var id = municipality["id"]!.GetValue<string>();
        var existing = await db.StateSubmissions.SingleOrDefaultAsync(s => s.Period == period && s.MunicipalityId == id, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var importedBy = user.FindFirstValue(KimClaims.Subject) ?? "unknown";
        if (existing is null)
        {
            db.StateSubmissions.Add(new StateSubmission
            {
                Id = Guid.CreateVersion7(),
                Period = period,
                MunicipalityId = id,
                MunicipalityName = municipality["name"]!.GetValue<string>(),
                Kind = municipality["kind"]!.GetValue<string>(),
                Document = document.ToJsonString(),
                ImportedAt = now,
                ImportedBy = importedBy,
            });
        }
        else
        {
            existing.MunicipalityName = municipality["name"]!.GetValue<string>();
            existing.Kind = municipality["kind"]!.GetValue<string>();
            existing.Document = document.ToJsonString();
            existing.ImportedAt = now;
            existing.ImportedBy = importedBy;
        }

        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return ConcurrentSave.Problem($"Die Meldung der Kommune {id} für {period} wird gerade schon eingelesen; fragen Sie die Liste neu ab.");
        }

        var summary = new SubmissionSummary(id, municipality["name"]!.GetValue<string>(), municipality["kind"]!.GetValue<string>(), now, importedBy);
        return existing is null
            ? TypedResults.Created($"/api/state/submissions?period={period}", summary)
            : TypedResults.Ok(summary);
    }

    public static async Task<Results<Ok<SubmissionSummary[]>, ValidationProblem>> List(ReportingDbContext db, CancellationToken cancellationToken, [FromQuery] string? period = null)
    {
        if (PeriodProblem(period) is { } problem)
        {
            return problem;
        }

        var rows = await db.StateSubmissions.AsNoTracking().Where(s => s.Period == period).OrderBy(s => s.MunicipalityId).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(s => new SubmissionSummary(s.MunicipalityId, s.MunicipalityName, s.Kind, DateTime.SpecifyKind(s.ImportedAt, DateTimeKind.Utc), s.ImportedBy)).ToArray());
    }

    public static async Task<Results<Ok<CrossTable>, ValidationProblem>> Crosstab(
        ReportingDbContext db, IOptions<ReportingOptions> options, CancellationToken cancellationToken,
        [FromQuery] string? period = null, [FromQuery] string? row = null, [FromQuery] string? column = null, [FromQuery] string? where = null)
    {
        var (table, problem) = await ComputeAsync(db, options.Value, period, row, column, where, cancellationToken);
        return problem is not null ? problem : TypedResults.Ok(table!);
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> CrosstabCsv(
        ReportingDbContext db, IOptions<ReportingOptions> options, CancellationToken cancellationToken,
        [FromQuery] string? period = null, [FromQuery] string? row = null, [FromQuery] string? column = null, [FromQuery] string? where = null)
    {
        var (table, problem) = await ComputeAsync(db, options.Value, period, row, column, where, cancellationToken);
        return problem is not null
            ? problem
            : StateReport.CsvFile(StateReport.Csv(table!), $"kim-{period}-{row}.csv");
    }

    public static async Task<Results<Ok<TypologyResult>, ValidationProblem>> TypologyOf(
        ReportingDbContext db, IOptions<TypologyOptions> typology, CancellationToken cancellationToken, [FromQuery] string? period = null)
    {
        if (PeriodProblem(period) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(Classify(period!, await LoadAsync(db, period!, cancellationToken), typology.Value));
    }

    public static async Task<Results<Ok<StaffingRow[]>, ValidationProblem>> Staffing(ReportingDbContext db, CancellationToken cancellationToken, [FromQuery] string? period = null)
    {
        if (PeriodProblem(period) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(StaffingOf(await LoadAsync(db, period!, cancellationToken)));
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> TypologyCsv(
        ReportingDbContext db, IOptions<TypologyOptions> typology, CancellationToken cancellationToken, [FromQuery] string? period = null)
    {
        if (PeriodProblem(period) is { } problem)
        {
            return problem;
        }

        var result = Classify(period!, await LoadAsync(db, period!, cancellationToken), typology.Value);
        return StateReport.CsvFile(StateReport.TypologyCsv(result), $"kim-{period}-typen.csv");
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> StaffingCsv(ReportingDbContext db, CancellationToken cancellationToken, [FromQuery] string? period = null)
    {
        if (PeriodProblem(period) is { } problem)
        {
            return problem;
        }

        return StateReport.CsvFile(StateReport.StaffingCsv(StaffingOf(await LoadAsync(db, period!, cancellationToken))), $"kim-{period}-stellen.csv");
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem>> Report(
        ReportingDbContext db, IOptions<ReportingOptions> options, IOptions<TypologyOptions> typology, CancellationToken cancellationToken, [FromQuery] string? period = null)
    {
        if (PeriodProblem(period) is { } problem)
        {
            return problem;
        }

        var answers = await LoadAsync(db, period!, cancellationToken);
        var documents = answers.Select(a => a.Answers).ToList();
        var tables = StateReport.Tables.Select(t => (t, CrossTables.Compute(period!, documents, t.Row, t.Column, t.Where, options.Value.SmallCellThreshold))).ToList();
        var html = StateReport.Html(period!, answers.Count, tables, Classify(period!, answers, typology.Value), StaffingOf(answers), options.Value.SmallCellThreshold);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>The report's tables (Tab. 2 to 13 and the additions), the types and the positions as data, with German labels.</summary>
    public static async Task<Results<Ok<StateReportData>, ValidationProblem>> ReportData(
        ReportingDbContext db, IOptions<ReportingOptions> options, IOptions<TypologyOptions> typology, CancellationToken cancellationToken, [FromQuery] string? period = null)
    {
        if (PeriodProblem(period) is { } problem)
        {
            return problem;
        }

        var answers = await LoadAsync(db, period!, cancellationToken);
        var documents = answers.Select(a => a.Answers).ToList();
        var tables = StateReport.Tables.Select(t => (t, CrossTables.Compute(period!, documents, t.Row, t.Column, t.Where, options.Value.SmallCellThreshold))).ToList();
        return TypedResults.Ok(StateReportDataBuilder.Build(period!, answers.Count, options.Value.SmallCellThreshold, tables, Classify(period!, answers, typology.Value), StaffingOf(answers)));
    }

    /// <summary>A cross table as <see cref="Crosstab"/> computes it, as lists with German labels.</summary>
    public static async Task<Results<Ok<LabelledTable>, ValidationProblem>> LabelledCrosstab(
        ReportingDbContext db, IOptions<ReportingOptions> options, CancellationToken cancellationToken,
        [FromQuery] string? period = null, [FromQuery] string? row = null, [FromQuery] string? column = null, [FromQuery] string? where = null)
    {
        var (table, problem) = await ComputeAsync(db, options.Value, period, row, column, where, cancellationToken);
        return problem is not null ? problem : TypedResults.Ok(StateReportDataBuilder.Label(table!, options.Value.SmallCellThreshold));
    }

    /// <summary>A string property of a JSON object, or null.</summary>
    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Every state report names its period, a year or its half as a whole value; anything else is a 400.</summary>
    private static ValidationProblem? PeriodProblem(string? period)
    {
        var validation = new Validation().Text("period", period, maxLength: 10);
        if (validation.IsValid && !Survey.IsPeriodFormat(period))
        {
            validation.Add("period", "Ein Jahr oder sein Halbjahr, z. B. 2024 oder 2024-H1.");
        }

        return validation.IsValid ? null : validation.ToProblem();
    }

    internal static TypologyResult Classify(string period, IReadOnlyList<(Answers Answers, string Name)> answers, TypologyOptions options)
    {
        var rows = answers.Select(a =>
        {
            var assessment = Typology.Assess(a.Answers.Document, options);
            return new TypologyRow(a.Answers.MunicipalityId, a.Name, a.Answers.Kind, assessment.Type, assessment.TypeLabel, assessment.Mean, assessment.Dimensions);
        }).ToList();
        var distribution = Enum.GetValues<ImplementationType>().ToDictionary(
            type => type,
            type => (IReadOnlyDictionary<string, int>)CrossTables.Kinds.Append(CrossTables.Total)
                .ToDictionary(kind => kind, kind => rows.Count(r => r.Type == type && (kind == CrossTables.Total || r.Kind == kind))));
        return new TypologyResult(period, rows, distribution);
    }

    internal static StaffingRow[] StaffingOf(IReadOnlyList<(Answers Answers, string Name)> answers) =>
        [.. answers.SelectMany(a => (a.Answers.Document["staffing"]?.AsArray() ?? []).Select(s => (a.Answers.Kind, Staff: s!)))
            .GroupBy(x => (Block: x.Staff["buildingBlock"]!.GetValue<int>(), x.Kind))
            .SelectMany(g => new[] { (g.Key.Block, g.Key.Kind, Items: g.Select(x => x.Staff).ToList()) })
            .Concat(answers.SelectMany(a => (a.Answers.Document["staffing"]?.AsArray() ?? []).Select(s => s!))
                .GroupBy(s => s["buildingBlock"]!.GetValue<int>()).Select(g => (Block: g.Key, Kind: CrossTables.Total, Items: g.ToList())))
            .OrderBy(g => g.Block).ThenBy(g => g.Kind, StringComparer.Ordinal)
            .Select(g => new StaffingRow(g.Block, g.Kind,
                Math.Round(g.Items.Sum(s => s["allocatedFte"]!.GetValue<double>()), 2),
                Math.Round(g.Items.Sum(s => s["requestedFte"]!.GetValue<double>()), 2),
                Math.Round(g.Items.Sum(s => s["filledFte"]!.GetValue<double>()), 2)))];

    private static async Task<(CrossTable? Table, ValidationProblem? Problem)> ComputeAsync(
        ReportingDbContext db, ReportingOptions options, string? period, string? row, string? column, string? where, CancellationToken cancellationToken)
    {
        var validation = new Validation().Text("period", period, maxLength: 10).Text("row", row, maxLength: 100)
            .That(row is null || CrossTables.IsKnownPath(row), "row", "Keine Antwort der Meldung.")
            .That(column is null or "kind", "column", "Nur 'kind' (Landkreis / kreisfreie Stadt).")
            .Text("where", where, required: false, maxLength: 150);
        if (where is not null)
        {
            var separator = where.LastIndexOf(':');
            validation.That(separator > 0 && CrossTables.IsKnownPath(where[..separator]), "where", "Erwartet: <Pfad>:<Wert> mit einem bekannten Pfad.");
        }

        if (!validation.IsValid)
        {
            return (null, validation.ToProblem());
        }

        var answers = await LoadAsync(db, period!, cancellationToken);
        return (CrossTables.Compute(period!, [.. answers.Select(a => a.Answers)], row!, column, where, options.SmallCellThreshold), null);
    }

    private static async Task<List<(Answers Answers, string Name)>> LoadAsync(ReportingDbContext db, string period, CancellationToken cancellationToken)
    {
        var rows = await db.StateSubmissions.AsNoTracking().Where(s => s.Period == period).OrderBy(s => s.MunicipalityId).ToListAsync(cancellationToken);
        return [.. rows.Select(s => (new Answers(s.MunicipalityId, s.Kind, JsonNode.Parse(s.Document)!), s.MunicipalityName))];
    }
}
