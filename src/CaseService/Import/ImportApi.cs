using Kim.CaseService.Audit;
using Kim.CaseService.Cases;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Import;

/// <summary>The answer to an import file that was taken over.</summary>
public sealed record ImportResponse(int Cases, int Referrals, int Events, string FileHash);

/// <summary>
/// Historical import (Datenübernahme, docs/import.md): a site's existing case load from its spreadsheets, one CSV
/// file of cases and one of referrals, taken over with the original dates and the events the live API would have
/// published. A file is taken over as a whole or not at all.
/// </summary>
public static class ImportApi
{
    /// <summary>Why the per-file audit entry was written.</summary>
    public const string AuditPurpose = "data-migration";

    public static RouteGroupBuilder MapImportApi(this RouteGroupBuilder tenantApi)
    {
        var imports = tenantApi.MapGroup("/imports").WithTags("Import").RequireAuthorization(CasePolicies.Import);
        // The body is read by the handler itself (a refused content type gets its German 415 there).
        imports.MapPost("/cases", ImportCases).WithName("ImportCases")
            .WithDescription("Body: the cases file, text/csv in UTF-8, semicolon-separated, German headers (docs/import.md).");
        imports.MapPost("/referrals", ImportReferrals).WithName("ImportReferrals")
            .WithDescription("Body: the referrals file, text/csv in UTF-8, semicolon-separated, German headers (docs/import.md).");
        return tenantApi;
    }

    public static Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportCases(
        HttpRequest request, CaseServices services, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ImportAsync("cases", request, services, loggers, CaseImport.StageAsync, cancellationToken);

    public static Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportReferrals(
        HttpRequest request, CaseServices services, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ImportAsync("referrals", request, services, loggers, ReferralImport.StageAsync, cancellationToken);

    /// <summary>
    /// Reads and validates the whole file, stages everything it creates, and saves it with its outbox messages and
    /// audit entries in one <c>SaveChanges</c> (one transaction): all or nothing.
    /// </summary>
    private static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportAsync(
        string kind, HttpRequest request, CaseServices services, ILoggerFactory loggers,
        Func<ImportFile, CaseServices, ImportEvents, CancellationToken, Task<(ImportCounts? Counts, List<ImportError> Errors)>> stage,
        CancellationToken cancellationToken)
    {
        var (file, problem) = await ImportFile.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var events = new ImportEvents();
        var (counts, errors) = await stage(file!, services, events, cancellationToken);
        if (counts is null)
        {
            services.Db.ChangeTracker.Clear();
            return ImportFile.Invalid(errors);
        }

        events.Enqueue(services.Db, services.Now);

        // One entry for the file: who (the entry's user), when, how many, and the file's hash; never a name or a row.
        services.Db.Audit(services.Entry($"import.{kind}", "import-file",
            $"sha256:{file!.Hash[..40]};rows={counts.Cases + counts.Referrals};events={counts.Events}", AuditPurpose));
        try
        {
            await services.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            services.Db.ChangeTracker.Clear();
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Gleichzeitige Datenübernahme",
                detail: "Während der Übernahme wurden dieselben Fälle von anderer Seite geändert oder übernommen; es wurde nichts übernommen. Laden Sie die Datei noch einmal hoch.",
                type: ProblemTypes.ConcurrentChange);
        }

        loggers.CreateLogger(typeof(ImportApi)).LogInformation(
            "Import of {Kind} file {FileHash} took over {Cases} cases and {Referrals} referrals with {Events} events",
            kind, file.Hash, counts.Cases, counts.Referrals, counts.Events);
        return TypedResults.Ok(new ImportResponse(counts.Cases, counts.Referrals, counts.Events, file.Hash));
    }
}
