using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Kim.ServiceDefaults;

/// <summary>
/// Request bodies are UTF-8: a <c>charset</c> other than <c>utf-8</c> (e.g. <c>utf-7</c>, which .NET cannot read)
/// is answered with a 415 problem before anything reads the body. No charset means UTF-8.
/// </summary>
internal sealed class Utf8OnlyStartupFilter : IStartupFilter
{
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

    internal static bool IsOtherCharset(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.Charset.HasValue
        && !string.Equals(HeaderUtilities.RemoveQuotes(type.Charset).Value, "utf-8", StringComparison.OrdinalIgnoreCase);
}
