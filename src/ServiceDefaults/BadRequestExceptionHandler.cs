using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Kim.ServiceDefaults;

/// <summary>
/// Unreadable request bodies (malformed JSON, wrong types, unknown fields, too deep, too large) become a 4xx
/// problem naming the JSON path, in every environment; never a 500.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var json = badRequest.InnerException as JsonException;
        var status = badRequest.StatusCode is >= 400 and < 500 ? badRequest.StatusCode : StatusCodes.Status400BadRequest;
        httpContext.Response.StatusCode = status;
        var problem = new HttpValidationProblemDetails
        {
            Status = status,
            Type = status == StatusCodes.Status413PayloadTooLarge ? ProblemTypes.PayloadTooLarge : ProblemTypes.MalformedRequest,
            Title = "Anfrage nicht lesbar",
            Detail = json is null
                ? "Die Anfrage konnte nicht gelesen werden."
                : $"Der JSON-Inhalt ist an der Stelle '{json.Path ?? "$"}' ungültig: falscher Typ, unbekanntes oder doppeltes Feld, unzulässiger Wert oder fehlerhafte Syntax.",
        };
        // The exception handler clears the endpoint before it runs; the feature keeps the one that failed.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var requestType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (json?.Path is { Length: > 2 } path && requestType is not null && TypeAt(requestType, path) is { IsEnum: true } enumType)
        {
            // An unknown enum value: name the field and what it accepts, so the caller can correct it.
            var field = path[2..];
            var message = $"Unbekannter Wert. Erlaubt sind: {string.Join(", ", Enum.GetNames(enumType))}.";
            problem.Detail = $"Unbekannter Wert für '{field}'. Erlaubt sind: {string.Join(", ", Enum.GetNames(enumType))}.";
            problem.Errors[field] = [message];
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The CLR type at a JSON path such as <c>$.client.languages[0]</c> of a request body (web casing), or null.</summary>
    internal static Type? TypeAt(Type root, string path)
    {
        Type? type = root;
        foreach (Match segment in Segments().Matches(path))
        {
            type = Nullable.GetUnderlyingType(type!) ?? type;
            if (segment.Groups["index"].Success)
            {
                type = ElementType(type!);
            }
            else
            {
                var name = segment.Groups["name"].Value;
                var property = type!.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p =>
                    string.Equals(p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, name, StringComparison.OrdinalIgnoreCase));
                type = property?.PropertyType;
            }

            if (type is null)
            {
                return null;
            }
        }

        type = Nullable.GetUnderlyingType(type!) ?? type;
        // "$.participants" with a wrong element: the collection's element type is the one that failed.
        return type!.IsEnum ? type : ElementType(type) is { } element ? Nullable.GetUnderlyingType(element) ?? element : null;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type == typeof(string) ? null
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<name>[^']+)'\]|\[(?<index>\d+)\]")]
    private static partial Regex Segments();
}
