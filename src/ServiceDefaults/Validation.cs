using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kim.ServiceDefaults;

/// <summary>
/// Collects every failing field of a request, so one 400 names them all. The single validation approach of KIM:
/// handlers validate their request records with it before touching state.
/// </summary>
public sealed class Validation
{
    public const int DefaultMaxLength = 200;

    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsValid => errors.Count == 0;

    public Validation Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            messages = [];
            errors[field] = messages;
        }

        messages.Add(message);
        return this;
    }

    public Validation Text(string field, string? value, bool required = true, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, "Pflichtangabe.");
            }

            return this;
        }

        if (value.Length > maxLength)
        {
            Add(field, $"Höchstens {maxLength} Zeichen.");
        }

        if (value.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.Surrogate or System.Globalization.UnicodeCategory.PrivateUse
                or System.Globalization.UnicodeCategory.OtherNotAssigned))
        {
            Add(field, "Enthält Steuer- oder unsichtbare Zeichen.");
        }

        return this;
    }

    public Validation Required<T>(string field, T? value)
    {
        if (value is null)
        {
            Add(field, "Pflichtangabe.");
        }

        return this;
    }

    public Validation That(bool condition, string field, string message)
    {
        if (!condition)
        {
            Add(field, message);
        }

        return this;
    }

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        title: "Eingaben ungültig",
        detail: "Mindestens eine Angabe ist ungültig; die Hinweise stehen bei den einzelnen Feldern.",
        type: ProblemTypes.Validation);
}
