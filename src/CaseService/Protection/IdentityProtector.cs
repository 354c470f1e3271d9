using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kim.CaseService.Cases;
using Kim.CaseService.Tenancy;
using Microsoft.Extensions.Options;

namespace Kim.CaseService.Protection;

/// <summary>
/// Protection at rest of the identifying fields, with keys of this tenant only: AES-256-GCM for the identity
/// (a fresh nonce per write, the client id as associated data so a ciphertext cannot be moved to another
/// client) and HMAC-SHA256 for exact-match name search. Both keys are derived with HKDF from the tenant secret
/// under their own labels, so neither can stand in for the other or for the case-key secret.
/// </summary>
public sealed class IdentityProtector
{
    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly byte[] encryptionKey;
    private readonly byte[] searchKey;
    private readonly byte[] prefixKey;

    public IdentityProtector(IOptions<TenantOptions> tenant)
    {
        var secret = Convert.FromBase64String(tenant.Value.PseudonymKey);
        encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Encoding.UTF8.GetBytes("kim/identity-encryption/v1"));
        searchKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Encoding.UTF8.GetBytes("kim/name-search/v1"));
        prefixKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Encoding.UTF8.GetBytes("kim/name-prefix/v1"));
    }

    public string Protect(Guid ownerId, ClientIdentity identity) => Encrypt(ownerId, JsonSerializer.SerializeToUtf8Bytes(identity, Json));

    public ClientIdentity Unprotect(Guid ownerId, string protectedIdentity) =>
        JsonSerializer.Deserialize<ClientIdentity>(Decrypt(ownerId, protectedIdentity), Json)
        ?? throw new CryptographicException("Empty identity.");

    /// <summary>Encrypts free text that belongs to one record (a journal entry, a file name); the record id binds it.</summary>
    public string ProtectText(Guid ownerId, string text) => Encrypt(ownerId, Encoding.UTF8.GetBytes(text));

    public string UnprotectText(Guid ownerId, string protectedText) => Encoding.UTF8.GetString(Decrypt(ownerId, protectedText));

    /// <summary>Encrypts a file's bytes; the document id binds them.</summary>
    public byte[] ProtectBytes(Guid ownerId, ReadOnlySpan<byte> content)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedBytes = new byte[NonceSize + content.Length + TagSize];
        nonce.CopyTo(sealedBytes, 0);
        using var aes = new AesGcm(encryptionKey, TagSize);
        aes.Encrypt(nonce, content, sealedBytes.AsSpan(NonceSize, content.Length), sealedBytes.AsSpan(NonceSize + content.Length), ownerId.ToByteArray());
        return sealedBytes;
    }

    public byte[] UnprotectBytes(Guid ownerId, byte[] sealedBytes)
    {
        var content = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(encryptionKey, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, content.Length), sealedBytes.AsSpan(NonceSize + content.Length), content,
            ownerId.ToByteArray());
        return content;
    }

    /// <summary>Keyed hash of name and birth date, for the duplicate check at intake.</summary>
    public string HashPerson(string givenName, string familyName, DateOnly birthDate) =>
        HashName(givenName, familyName, birthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// The blind index of a name for search by its beginning: keyed hashes of every prefix (2 to 20 letters) of every
    /// name part, spelt folded ("muller") and transliterated ("mueller"). See docs/privacy.md for what it reveals.
    /// </summary>
    public IReadOnlySet<string> NamePrefixHashes(params string[] names)
    {
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in names.SelectMany(NameParts))
        {
            foreach (var spelling in new[] { Normalise(part), Normalise(Transliterate(part)) })
            {
                for (var length = MinPrefix; length <= Math.Min(spelling.Length, MaxPrefix); length++)
                {
                    hashes.Add(HashPrefix(spelling[..length]));
                }
            }
        }

        return hashes;
    }

    /// <summary>
    /// The hashes a search term is looked up by: one per word of at least two letters (each word must begin a name
    /// part); null when no word is long enough.
    /// </summary>
    public IReadOnlyList<string>? SearchHashes(string term)
    {
        var words = NameParts(term).Select(Normalise).Where(w => w.Length >= MinPrefix).Select(w => w.Length > MaxPrefix ? w[..MaxPrefix] : w).ToList();
        return words.Count == 0 ? null : words.Select(HashPrefix).Distinct().ToList();
    }

    /// <summary>German transliteration: ä -> ae, ö -> oe, ü -> ue, ß -> ss (upper case likewise).</summary>
    public static string Transliterate(string text) => text
        .Replace("ä", "ae", StringComparison.Ordinal).Replace("ö", "oe", StringComparison.Ordinal).Replace("ü", "ue", StringComparison.Ordinal)
        .Replace("Ä", "Ae", StringComparison.Ordinal).Replace("Ö", "Oe", StringComparison.Ordinal).Replace("Ü", "Ue", StringComparison.Ordinal)
        .Replace("ß", "ss", StringComparison.Ordinal);

    /// <summary>The parts of a name: split at blanks, hyphens and apostrophes ("Müller-Öztürk" -> "Müller", "Öztürk").</summary>
    public static IEnumerable<string> NameParts(string name) =>
        name.Split([' ', '-', '\'', '’', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private const int MinPrefix = 2;
    private const int MaxPrefix = 20;

    private string HashPrefix(string prefix) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(prefixKey, Encoding.UTF8.GetBytes(prefix)).AsSpan(0, 16));

    /// <summary>Keyed hash of a name for exact-match search: case, accents and spacing do not matter.</summary>
    public string HashName(params string[] parts)
    {
        var normalised = string.Join(' ', parts.Select(Normalise).Where(p => p.Length > 0));
        return Convert.ToHexStringLower(HMACSHA256.HashData(searchKey, Encoding.UTF8.GetBytes(normalised)));
    }

    /// <summary>Lower case, Latin accents folded (ä -> a, ß -> ss, ş -> s), runs of white space as one blank.</summary>
    /// <remarks>Folds by table: the services run with invariant globalization, where Unicode decomposition is not available.</remarks>
    public static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            var folded = FoldedFrom.IndexOf(c, StringComparison.Ordinal);
            if (folded >= 0)
            {
                builder.Append(FoldedTo[folded]);
            }
            else if (c == 'ß')
            {
                builder.Append("ss");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private const string FoldedFrom = "àáâãäåāăąçćčďèéêëēęěğìíîïīıłñńňòóôõöøōőřśşšťùúûüūůűýÿźżž";
    private const string FoldedTo = "aaaaaaaaacccdeeeeeeegiiiiiilnnnoooooooorssstuuuuuuuyyzzz";

    private string Encrypt(Guid ownerId, byte[] plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using var aes = new AesGcm(encryptionKey, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, ownerId.ToByteArray());
        return $"{Version}:{Convert.ToBase64String([.. nonce, .. ciphertext, .. tag])}";
    }

    private byte[] Decrypt(Guid ownerId, string value)
    {
        var separator = value.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0 || value[..separator] != Version)
        {
            throw new CryptographicException("Unknown protection format.");
        }

        var bytes = Convert.FromBase64String(value[(separator + 1)..]);
        var nonce = bytes.AsSpan(0, NonceSize);
        var tag = bytes.AsSpan(bytes.Length - TagSize);
        var ciphertext = bytes.AsSpan(NonceSize, bytes.Length - NonceSize - TagSize);
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(encryptionKey, TagSize);
        aes.Decrypt(nonce, ciphertext, tag, plaintext, ownerId.ToByteArray());
        return plaintext;
    }
}
