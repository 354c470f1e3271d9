using Kim.Hosting;

namespace Kim.AppHost;

/// <summary>
/// Secrets and per-installation values of the platform. When AppHost runs, they are the development secrets under
/// <c>.data/secrets</c> (created on first start, readable by the owner only). When it publishes a manifest, each
/// becomes a secret parameter, so no development secret ends up in what deployment tools consume.
/// </summary>
public sealed class PlatformSecrets
{
    private readonly IDistributedApplicationBuilder builder;
    private readonly Dictionary<string, IResourceBuilder<ParameterResource>> parameters = [];
    private readonly Lazy<string> signingKey;

    private PlatformSecrets(IDistributedApplicationBuilder builder, string dataDirectory)
    {
        this.builder = builder;
        DataDirectory = dataDirectory;
        Development = new DevSecrets(dataDirectory);
        signingKey = new Lazy<string>(Development.SigningKey);
    }

    public string DataDirectory { get; }

    public DevSecrets Development { get; }

    public string SigningKey => signingKey.Value;

    public bool IsPublishMode => builder.ExecutionContext.IsPublishMode;

    public static PlatformSecrets For(IDistributedApplicationBuilder builder, PlatformOptions options)
    {
        var data = Path.IsPathRooted(options.DataDirectory) ? options.DataDirectory : Path.Combine(RepositoryPaths.Root, options.DataDirectory);
        return new PlatformSecrets(builder, data);
    }

    /// <summary>The development value when running; a secret parameter <paramref name="name"/> when publishing.</summary>
    public ReferenceExpression Value(string name, Func<string> development)
    {
        if (!IsPublishMode)
        {
            var builderOfValue = new ReferenceExpressionBuilder();
            builderOfValue.AppendLiteral(development());
            return builderOfValue.Build();
        }

        if (!parameters.TryGetValue(name, out var parameter))
        {
            parameter = builder.AddParameter(name, secret: true);
            parameters[name] = parameter;
        }

        return ReferenceExpression.Create($"{parameter}");
    }
}
