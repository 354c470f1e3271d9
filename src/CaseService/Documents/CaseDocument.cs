namespace Kim.CaseService.Documents;

/// <summary>
/// A file kept with a case, or as the evidence of one of its consents. The file name and the content are
/// encrypted with the tenant's key; the content is in <see cref="DocumentContent"/> so lists never load it.
/// </summary>
public sealed class CaseDocument
{
    public Guid Id { get; init; }

    public Guid CaseId { get; init; }

    public Guid? ConsentId { get; init; }

    /// <summary>AES-GCM ciphertext of the file name (names often carry the client's name); null once deleted.</summary>
    public string? ProtectedFileName { get; set; }

    public required string ContentType { get; init; }

    public long SizeBytes { get; init; }

    public DateTime UploadedAt { get; init; }

    public required string UploadedBy { get; init; }

    /// <summary>When the retention job deleted the file; the record stays for the audit trail.</summary>
    public DateTime? DeletedAt { get; set; }
}

/// <summary>The encrypted bytes of a document.</summary>
public sealed class DocumentContent
{
    public Guid DocumentId { get; init; }

    public required byte[] Ciphertext { get; init; }
}
