using Microsoft.Extensions.Configuration;
using Kim.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var options = builder.Configuration.GetSection(PlatformOptions.SectionName).Get<PlatformOptions>() ?? new PlatformOptions();
options.OtlpEndpoint ??= builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
builder.AddKimPlatform(options);
builder.Build().Run();
