using Kim.Contracts;

namespace Kim.Testing;

/// <summary>A clock the tests move forward; starts at the real time.</summary>
public sealed class TestClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    /// <summary>Moves forward to the next moment the clocks in Berlin show <paramref name="time"/>.</summary>
    public void AdvanceToLocalTime(TimeOnly time)
    {
        var now = GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, LocalDay.Zone).DateTime;
        var target = local.Date + time.ToTimeSpan();
        if (target <= local)
        {
            target = target.AddDays(1);
        }

        Advance(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(target, DateTimeKind.Unspecified), LocalDay.Zone) - now.UtcDateTime);
    }
}
