using Barrier = Kim.Contracts.Cases.Barrier;

namespace Kim.CaseService.Reconstructions;

/// <summary>An anonymised reconstruction of a case's course (Fallrekonstruktion); it names no case.</summary>
public sealed class CaseReconstruction
{
    public Guid Id { get; init; }

    public required string Title { get; init; }

    public required List<Barrier> Barriers { get; init; }

    public required string SubmittedBy { get; init; }

    public DateTime SubmittedAt { get; init; }
}
