using Kim.CaseService.Cases;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.CaseService.Documents;

/// <summary>Section <c>Documents</c>.</summary>
public sealed class DocumentOptions
{
    public const string SectionName = "Documents";

    /// <summary>Largest file accepted; default 10 MB.</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;
}

/// <summary>
/// Files of a case (a certificate, a notice, the signed consent form): PDF, JPEG or PNG, recognised by their first
/// bytes, never by name or declared type; encrypted at rest; every download audited; deleted by the retention job.
/// </summary>
public static class DocumentsApi
{
    public static RouteGroupBuilder MapDocumentsApi(this RouteGroupBuilder tenantApi)
    {
        var documents = tenantApi.MapGroup("/cases/{id:guid}/documents").WithTags("Documents").RequireAuthorization(CasePolicies.CaseWork);
        documents.MapPost("/", Upload).WithName("UploadDocument").AddOpenApiOperationTransformer(DescribeUpload);
        documents.MapGet("/", List).WithName("ListDocuments");
        documents.MapGet("/{documentId:guid}/content", Download).WithName("DownloadDocument");
        return tenantApi;
    }

    /// <summary>
    /// Uploads a file: a <c>multipart/form-data</c> body with the part <c>file</c> and, optionally, <c>consentId</c>.
    /// The form is read here rather than bound, so that authorisation answers before the body's type is looked at.
    /// </summary>
    public static async Task<Results<Created<DocumentResponse>, ValidationProblem, ProblemHttpResult>> Upload(
        string tenant, Guid id, HttpRequest request, CaseServices services, IOptions<DocumentOptions> options, CancellationToken cancellationToken)
    {
        var found = await services.VisibleCases.Include(c => c.Client).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (found is null)
        {
            return CaseProblems.NotFound();
        }

        if (!request.HasFormContentType)
        {
            return new Validation().Add("file", "Senden Sie die Datei als multipart/form-data im Feld „file“.").ToProblem();
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            return new Validation().Add("file", "Das Formular ist nicht lesbar.").ToProblem();
        }

        var file = form.Files.GetFile("file");
        Guid? consentId = null;
        var validation = new Validation().Required("file", file);
        if (!string.IsNullOrEmpty(form["consentId"]))
        {
            consentId = Guid.TryParse(form["consentId"], out var parsed) ? parsed : null;
            validation.That(consentId is not null, "consentId", "Keine gültige Kennung einer Einwilligung.");
        }

        byte[] content = [];
        string? contentType = null;
        if (file is not null)
        {
            var maxBytes = options.Value.MaxBytes;
            validation.That(file.Length > 0, "file", "Die Datei ist leer.")
                .That(file.Length <= maxBytes, "file", $"Höchstens {maxBytes / (1024 * 1024)} MB.")
                .Text("file.name", Path.GetFileName(file.FileName), maxLength: 200);
            if (file.Length > 0 && file.Length <= maxBytes)
            {
                content = new byte[file.Length];
                await using var stream = file.OpenReadStream();
                await stream.ReadExactlyAsync(content, cancellationToken);
                contentType = FileSignatures.ContentTypeOf(content);
                validation.That(contentType is not null, "file", "Nur PDF-, JPEG- oder PNG-Dateien; der Inhalt dieser Datei ist keins davon.");
            }
        }

        if (consentId is { } consent && !await services.Db.Consents.AnyAsync(c => c.Id == consent && c.CaseId == id, cancellationToken))
        {
            validation.Add("consentId", "Keine Einwilligung dieses Falls.");
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (found.Client.AnonymisedAt is not null)
        {
            return CaseProblems.Refused(Refusal.Anonymised());
        }

        var document = new CaseDocument
        {
            Id = Guid.CreateVersion7(),
            CaseId = id,
            ConsentId = consentId,
            ContentType = contentType!,
            SizeBytes = content.Length,
            UploadedAt = services.Now,
            UploadedBy = services.UserId,
        };
        var fileName = Path.GetFileName(file!.FileName).Trim();
        document.ProtectedFileName = services.Protector.ProtectText(document.Id, fileName);
        services.Db.Documents.Add(document);
        services.Db.DocumentContents.Add(new DocumentContent { DocumentId = document.Id, Ciphertext = services.Protector.ProtectBytes(document.Id, content) });
        services.Audit("document.uploaded", "document", document.Id);
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/tenants/{tenant}/cases/{id}/documents/{document.Id}/content", DocumentResponse.From(document, fileName));
    }

    /// <summary>The form the handler reads, for the OpenAPI document (reading it there keeps it out of routing).</summary>
    private static Task DescribeUpload(Microsoft.OpenApi.OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new Microsoft.OpenApi.OpenApiSchema
                    {
                        Type = Microsoft.OpenApi.JsonSchemaType.Object,
                        Required = new HashSet<string> { "file" },
                        Properties = new Dictionary<string, Microsoft.OpenApi.IOpenApiSchema>
                        {
                            ["file"] = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary" },
                            ["consentId"] = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "uuid" },
                        },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }

    public static async Task<Results<Ok<DocumentResponse[]>, ProblemHttpResult>> List(Guid id, CaseServices services, CancellationToken cancellationToken)
    {
        if (!await services.VisibleCases.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return CaseProblems.NotFound();
        }

        var documents = await services.Db.Documents.AsNoTracking().Where(d => d.CaseId == id).OrderByDescending(d => d.UploadedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(documents
            .Select(d => DocumentResponse.From(d, d.ProtectedFileName is null ? null : services.Protector.UnprotectText(d.Id, d.ProtectedFileName)))
            .ToArray());
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Download(
        Guid id, Guid documentId, CaseServices services, CancellationToken cancellationToken)
    {
        var visible = services.VisibleCases.Select(c => c.Id);
        var document = await services.Db.Documents.AsNoTracking()
            .SingleOrDefaultAsync(d => d.Id == documentId && d.CaseId == id && visible.Contains(d.CaseId), cancellationToken);
        var content = document is null ? null
            : await services.Db.DocumentContents.AsNoTracking().SingleOrDefaultAsync(c => c.DocumentId == documentId, cancellationToken);
        if (document?.ProtectedFileName is null || content is null)
        {
            return CaseProblems.NotFound("Dokument nicht gefunden");
        }

        await services.AuditReadAsync("document.downloaded", "document", document.Id, cancellationToken);
        return TypedResults.File(services.Protector.UnprotectBytes(document.Id, content.Ciphertext), document.ContentType,
            services.Protector.UnprotectText(document.Id, document.ProtectedFileName));
    }
}

/// <summary>Recognises the accepted file types by their signature (magic bytes).</summary>
public static class FileSignatures
{
    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];

    /// <summary>The content type the bytes are, or null when they are none of PDF, PNG, JPEG.</summary>
    public static string? ContentTypeOf(ReadOnlySpan<byte> content) =>
        content.StartsWith(Pdf) ? "application/pdf"
        : content.StartsWith(Png) ? "image/png"
        : content.StartsWith(Jpeg) ? "image/jpeg"
        : null;
}

public sealed record DocumentResponse(Guid Id, Guid CaseId, Guid? ConsentId, string? FileName, string ContentType, long SizeBytes, DateTime UploadedAt, string UploadedBy, bool Deleted)
{
    public static DocumentResponse From(CaseDocument d, string? fileName) =>
        new(d.Id, d.CaseId, d.ConsentId, fileName, d.ContentType, d.SizeBytes, ReferralResponse.Utc(d.UploadedAt), d.UploadedBy, d.DeletedAt is not null);
}
