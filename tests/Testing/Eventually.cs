namespace Kim.Testing;

/// <summary>Waits for asynchronous effects (messages delivered, projections updated) without fixed sleeps.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Timed out after {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s waiting for: {what}");
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : class
    {
        T? value = null;
        await TrueAsync(async () => (value = await probe()) is not null, what, timeout);
        return value!;
    }

    /// <summary>Waits until <c>GET /health</c> answers 200 (database and broker ready).</summary>
    public static Task HealthyAsync(HttpClient client, TimeSpan? timeout = null) =>
        TrueAsync(async () => (await client.GetAsync("/health")).IsSuccessStatusCode, "GET /health to answer 200", timeout);
}
