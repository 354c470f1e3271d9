using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Kim.Testing;

/// <summary>
/// Everything a host writes to its logs (message, structured values, scopes) and to its traces (span names and
/// attributes), as text, so a test can search it for personal data. Add it as a logger provider of the host
/// under test; spans are taken from every activity source of this process while it lives.
/// </summary>
public sealed class CapturedTelemetry : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> logs = new();
    private readonly ConcurrentQueue<string> spans = new();
    private readonly ActivityListener listener;
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public CapturedTelemetry()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => spans.Enqueue(
                $"{activity.Source.Name} {activity.DisplayName} {string.Join(" ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}"))}"),
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>One line per log entry: level, category, formatted message, every structured value and scope.</summary>
    public IReadOnlyCollection<string> Logs => logs.ToArray();

    /// <summary>One line per finished span: source, name and every attribute.</summary>
    public IReadOnlyCollection<string> Spans => spans.ToArray();

    /// <summary>Log entries and spans that contain <paramref name="value"/> (ordinal, case-insensitive).</summary>
    public IReadOnlyList<string> Containing(string value) =>
        Logs.Concat(Spans).Where(line => line.Contains(value, StringComparison.OrdinalIgnoreCase)).ToList();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose() => listener.Dispose();

    private sealed class CapturingLogger(CapturedTelemetry owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    line.Append($" {key}={value}");
                }
            }

            owner.scopes.ForEachScope((scope, builder) => builder.Append($" scope={scope}"), line);
            if (exception is not null)
            {
                line.Append($" exception={exception}");
            }

            owner.logs.Enqueue(line.ToString());
        }
    }
}
