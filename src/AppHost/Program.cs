namespace Kim.AppHost;

/// <summary><c>dotnet run --project src/AppHost</c>: the whole platform, with the Aspire dashboard.</summary>
public static class AppHostProgram
{
    public static void Main(string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(args);
        var options = PlatformOptions.From(builder.Configuration);
        options.OtlpEndpoint ??= builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        builder.AddKimPlatform(options);
        builder.Build().Run();
    }
}
