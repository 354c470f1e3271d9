using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kim.NetworkService.Infrastructure;

/// <summary>The problem responses of the network API: German titles for users, the reason in the detail.</summary>
internal static class Problems
{
    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, type: ProblemTypes.Conflict);

    /// <summary>Another request changed the same thing first; reloading and trying again may succeed.</summary>
    public static ProblemHttpResult ConcurrentChange(string detail) => Kim.ServiceDefaults.Persistence.ConcurrentSave.Problem(detail);

    public static ProblemHttpResult NotFound(string title) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, type: ProblemTypes.NotFound);

    public static ProblemHttpResult Forbidden(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title, detail: detail, type: ProblemTypes.Forbidden);
}
