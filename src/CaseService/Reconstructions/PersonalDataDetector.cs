using System.Text;
using System.Text.RegularExpressions;
using Kim.CaseService.Cases;
using Kim.CaseService.Protection;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Reconstructions;

/// <summary>
/// Finds names and birth dates of known people in free text: the tenant's own clients and the clients whose identity
/// it received with a referral. Names are compared by their letters only, with case, accents and the German
/// transliterations (ä/ae, ö/oe, ü/ue, ß/ss) folded, part by part (also the parts of double names), joined and split
/// across neighbouring words ("Had dad", "Müller-Öztürk"); birth dates in the German and ISO spellings.
/// </summary>
/// <remarks>
/// Trade-off between leaks and false alarms: a name part of three letters or more counts as a whole word or as
/// neighbouring words joined; one of six letters or more also inside a longer word ("FrauHaddad"), since shorter
/// ones sit inside ordinary words ("Berg" in "Übergang", "Anna" in "Johanna"). One- and two-letter parts ("Al",
/// "Li") count only as part of the full name. A surname that is an ordinary word ("Sommer") still makes texts with
/// that word fail; the coordinator then rephrases.
/// </remarks>
public sealed partial class PersonalDataDetector
{
    private const int MinPart = 3;
    private const int MinContained = 6;
    private const int MaxWindow = 6;

    private static readonly string[] Months =
        ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"];

    private readonly HashSet<string> whole = new(StringComparer.Ordinal);
    private readonly HashSet<string> contained = new(StringComparer.Ordinal);
    private readonly HashSet<DateOnly> dates = [];
    private readonly HashSet<(int Day, int Month, int ShortYear)> shortDates = [];
    private readonly int shortestContained;
    private readonly int longestContained;

    public PersonalDataDetector(IEnumerable<ClientIdentity> identities)
    {
        foreach (var identity in identities)
        {
            var given = IdentityProtector.NameParts(identity.GivenName).ToList();
            var family = IdentityProtector.NameParts(identity.FamilyName).ToList();
            foreach (var part in given.Concat(family).Where(p => LetterCount(p) >= MinPart))
            {
                Add(part);
            }

            Add(string.Concat(family));
            Add(string.Concat(given.Concat(family)));
            Add(string.Concat(family.Concat(given)));
            dates.Add(identity.BirthDate);
            shortDates.Add((identity.BirthDate.Day, identity.BirthDate.Month, identity.BirthDate.Year % 100));
        }

        shortestContained = contained.Count == 0 ? 0 : contained.Min(c => c.Length);
        longestContained = contained.Count == 0 ? 0 : contained.Max(c => c.Length);
    }

    /// <summary>The tenant's clients and the identities it received with referrals, decrypted for the check only.</summary>
    public static async Task<PersonalDataDetector> ForTenantAsync(CaseServices services, CancellationToken cancellationToken)
    {
        var clients = await services.Db.Clients.AsNoTracking().Where(c => c.ProtectedIdentity != null).ToListAsync(cancellationToken);
        var received = await services.Db.IncomingReferrals.AsNoTracking().Where(r => r.ProtectedIdentity != null)
            .Select(r => new { r.Id, r.ProtectedIdentity }).ToListAsync(cancellationToken);
        var current = clients.ToDictionary(c => c.Id, c => services.IdentityOf(c)!);

        // Names and birth dates a correction replaced are still the person's (a maiden name, a former spelling).
        var corrections = await services.Db.ClientChanges.AsNoTracking().Where(c => c.ProtectedPrevious != null).ToListAsync(cancellationToken);
        var former = corrections.Where(c => current.ContainsKey(c.ClientId)).Select(c =>
        {
            var previous = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(
                services.Protector.UnprotectText(c.Id, c.ProtectedPrevious!), System.Text.Json.JsonSerializerOptions.Web) ?? [];
            var now = current[c.ClientId];
            string? Text(string field) => previous.TryGetValue(field, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
            return now with
            {
                GivenName = Text("givenName") ?? now.GivenName,
                FamilyName = Text("familyName") ?? now.FamilyName,
                BirthDate = DateOnly.TryParse(Text("birthDate"), System.Globalization.CultureInfo.InvariantCulture, out var born) ? born : now.BirthDate,
            };
        });
        return new PersonalDataDetector([
            .. current.Values,
            .. former,
            .. received.Select(r => services.Protector.Unprotect(r.Id, r.ProtectedIdentity!)),
        ]);
    }

    public bool Contains(string text) => ContainsName(text) || ContainsDate(text);

    private void Add(string name)
    {
        var key = Letters(name);
        if (key.Length == 0)
        {
            return;
        }

        whole.Add(key);
        if (LetterCount(name) >= MinContained)
        {
            contained.Add(key);
        }
    }

    private bool ContainsName(string text)
    {
        var words = WordPattern().Matches(text).Select(m => Letters(m.Value)).Where(w => w.Length > 0).ToList();
        for (var start = 0; start < words.Count; start++)
        {
            var joined = new StringBuilder();
            for (var end = start; end < Math.Min(words.Count, start + MaxWindow); end++)
            {
                joined.Append(words[end]);
                if (whole.Contains(joined.ToString()))
                {
                    return true;
                }
            }

            if (ContainsInside(words[start]))
            {
                return true;
            }
        }

        return false;
    }

    private bool ContainsInside(string word)
    {
        for (var length = Math.Max(1, shortestContained); length <= Math.Min(word.Length, longestContained); length++)
        {
            for (var at = 0; at + length <= word.Length; at++)
            {
                if (contained.Contains(word.Substring(at, length)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool ContainsDate(string text)
    {
        foreach (Match m in DayMonthYear().Matches(text))
        {
            if (IsBirthDate(int.Parse(m.Groups["d"].Value), int.Parse(m.Groups["m"].Value), m.Groups["y"].Value))
            {
                return true;
            }
        }

        foreach (Match m in YearMonthDay().Matches(text))
        {
            if (IsBirthDate(int.Parse(m.Groups["d"].Value), int.Parse(m.Groups["m"].Value), m.Groups["y"].Value))
            {
                return true;
            }
        }

        foreach (Match m in DayMonthNameYear().Matches(text))
        {
            var name = IdentityProtector.Normalise(m.Groups["m"].Value);
            var month = name is "maerz" or "mrz" ? 3 : Array.IndexOf(Months, name[..3]) + 1;
            if (month > 0 && IsBirthDate(int.Parse(m.Groups["d"].Value), month, m.Groups["y"].Value))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsBirthDate(int day, int month, string year) =>
        year.Length == 2
            ? shortDates.Contains((day, month, int.Parse(year)))
            : DateOnly.TryParseExact($"{int.Parse(year):D4}-{month:D2}-{day:D2}", "yyyy-MM-dd", out var date) && dates.Contains(date);

    /// <summary>How long a name is, counted in letters as written (the thresholds apply to it, not to the folded key).</summary>
    private static int LetterCount(string name) => IdentityProtector.Normalise(name).Count(char.IsLetterOrDigit);

    /// <summary>Lower-case letters and digits only, accents folded and the German transliterations taken back (ae -> a).</summary>
    private static string Letters(string text)
    {
        var folded = IdentityProtector.Normalise(text);
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded.Where(char.IsLetterOrDigit))
        {
            // "Mueller" and "Müller" both become "muller": the e after a, o or u is the transliterated umlaut.
            if (c == 'e' && builder.Length > 0 && builder[^1] is 'a' or 'o' or 'u')
            {
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"(?<![\d])(?<d>\d{1,2})\s*[./\-]\s*(?<m>\d{1,2})\s*[./\-]\s*(?<y>\d{4}|\d{2})(?![\d])")]
    private static partial Regex DayMonthYear();

    [GeneratedRegex(@"(?<![\d])(?<y>\d{4})\s*[./\-]\s*(?<m>\d{1,2})\s*[./\-]\s*(?<d>\d{1,2})(?![\d])")]
    private static partial Regex YearMonthDay();

    [GeneratedRegex(@"(?<![\d])(?<d>\d{1,2})\.?\s*(?<m>januar|jänner|jan|februar|feb|märz|maerz|mär|mrz|april|apr|mai|juni|jun|juli|jul|august|aug|september|sept|sep|oktober|okt|november|nov|dezember|dez)\.?\s*(?<y>\d{4}|\d{2})(?![\d])", RegexOptions.IgnoreCase)]
    private static partial Regex DayMonthNameYear();
}
