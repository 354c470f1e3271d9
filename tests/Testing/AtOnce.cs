namespace Kim.Testing;

/// <summary>Requests released at the same moment, so that they meet in the service as concurrent identical creates do.</summary>
public static class AtOnce
{
    /// <summary>Sends one request per client, all started together, and returns the answers in the clients' order.</summary>
    public static async Task<HttpResponseMessage[]> SendAsync(IEnumerable<HttpClient> clients, Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sending = clients.Select(client => Task.Run(async () =>
        {
            await start.Task;
            return await send(client);
        })).ToList();
        start.SetResult();
        return await Task.WhenAll(sending);
    }
}
