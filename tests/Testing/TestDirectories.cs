namespace Kim.Testing;

/// <summary>A fresh temporary folder for one fixture's files (SQLite databases, logs), deleted afterwards.</summary>
public sealed class TestDirectories : IDisposable
{
    public TestDirectories(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kim-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still held by a host that is shutting down; the folder is under the temp path.
        }
    }
}
