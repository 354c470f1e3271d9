using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace Kim.ServiceDefaults;

/// <summary>One request pipeline and one JSON contract for every KIM API.</summary>
public static class ApiDefaults
{
    /// <summary>
    /// Strict JSON: enums as strings, unknown members refused (a misspelt field is an error, not silently dropped),
    /// limited depth. Problem details for every error status.
    /// </summary>
    public static TBuilder AddApiDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            // Clients reach services only through the gateway; a server URL of the service itself would mislead them.
            document.Servers = [];
            DescribeProblems(document);
            return Task.CompletedTask;
        }));
        builder.AddBadRequestProblems();
        return builder;
    }

    /// <summary>Malformed requests, oversized bodies and the like become 4xx problems instead of 500s.</summary>
    public static TBuilder AddBadRequestProblems<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        return builder;
    }

    /// <summary>
    /// Every refusal (400, 401, 403, 404, 409, 412 ...) is a problem details document: say so once for every operation,
    /// so that generated clients read the problem (title, detail, type, field errors) instead of only a status code.
    /// </summary>
    private static void DescribeProblems(OpenApiDocument document)
    {
        const string problem = "HttpValidationProblemDetails";
        if (document.Components?.Schemas?.ContainsKey(problem) != true)
        {
            return;
        }

        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            operation.Responses ??= [];
            operation.Responses.TryAdd("4XX", new OpenApiResponse
            {
                Description = "Problem details (RFC 9457)",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(problem, document) },
                },
            });
        }
    }

    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.MaxDepth = 32;
        // {"id":"a","id":"b"} is refused (400) rather than read as whichever value came last.
        options.AllowDuplicateProperties = false;
    }

    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        app.MapDefaultEndpoints();
        return app;
    }
}
