using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Kim.ServiceDefaults;

/// <summary>
/// Request bodies are UTF-8: a <c>charset</c> other than <c>utf-8</c> (e.g. <c>utf-7</c>, which .NET cannot read)
/// is answered with a 415 problem before anything reads the body. No charset means UTF-8. A form
/// (<c>application/x-www-form-urlencoded</c>, e.g. a token request) may also name <c>us-ascii</c> or
/// <c>iso-8859-1</c>, a common default of HTTP clients: its body is percent-encoded ASCII (the form reader takes the
/// escapes as UTF-8 whatever the label), so nothing is read differently.
/// </summary>
internal sealed class Utf8OnlyStartupFilter : IStartupFilter
{
    private static readonly string[] FormCharsets = ["us-ascii", "iso-8859-1"];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (IsOtherCharset(context.Request.ContentType))
            {
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Format nicht unterstützt",
                    detail: "Der Inhalt der Anfrage muss UTF-8 sein (charset=utf-8 oder ohne Angabe).",
                    type: ProblemTypes.UnsupportedMediaType).ExecuteAsync(context);
                return;
            }

            await nextMiddleware(context);
        });
        next(app);
    };

    internal static bool IsOtherCharset(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var type) || !type.Charset.HasValue)
        {
            return false;
        }

        var charset = HeaderUtilities.RemoveQuotes(type.Charset).Value;
        if (string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !(type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            && FormCharsets.Contains(charset, StringComparer.OrdinalIgnoreCase));
    }
}
