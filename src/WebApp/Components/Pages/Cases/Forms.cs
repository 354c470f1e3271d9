using System.Globalization;
using Kim.WebApp.Clients.CaseService.Models;
using Microsoft.Kiota.Abstractions;

namespace Kim.WebApp.Components.Pages.Cases;

/// <summary>Reading form values (strings, as posted) into API values; what cannot be read is left for the API to refuse.</summary>
public static class FormValues
{
    private static readonly string[] DateFormats = ["d.M.yyyy", "yyyy-MM-dd"];

    /// <summary>A date as typed (TT.MM.JJJJ; ISO also); null when it is no date, which the API then refuses.</summary>
    public static Date? Date(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? new Date(date.ToDateTime(TimeOnly.MinValue)) : null;

    public static T? Enum<T>(string? value) where T : struct, System.Enum =>
        System.Enum.TryParse<T>(value, ignoreCase: false, out var parsed) && System.Enum.IsDefined(parsed) ? parsed : null;

    public static bool? YesNo(string? value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    public static int? Int(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>A time of day as typed (HH:mm); null when it is none.</summary>
    public static Time? Time(string? value) =>
        TimeOnly.TryParseExact(value?.Trim(), ["H:mm", "HH:mm", "H.mm", "HH.mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? new Time(time.Hour, time.Minute, 0)
            : null;

    public static Guid? Id(string? value) => Guid.TryParse(value, out var id) ? id : null;

    public static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The client's data as posted, for the intake and for corrections.</summary>
public abstract class ClientForm
{
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? BirthDate { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Address { get; set; }
    public string? Languages { get; set; }
    public string? ResidenceStatus { get; set; }
    public string? ArrivalDate { get; set; }

    public ClientRequest ToClient() => new()
    {
        GivenName = GivenName?.Trim(),
        FamilyName = FamilyName?.Trim(),
        BirthDate = FormValues.Date(BirthDate),
        Phone = FormValues.Text(Phone),
        Email = FormValues.Text(Email),
        Address = FormValues.Text(Address),
        Languages = (Languages ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        ResidenceStatus = FormValues.Enum<Clients.CaseService.Models.ResidenceStatus>(ResidenceStatus),
        ArrivalDate = FormValues.Date(ArrivalDate),
    };
}

public sealed class OpenCaseForm : ClientForm
{
    public string? AccessRoute { get; set; }
    public string? ConfirmDuplicate { get; set; }
    public string? TargetGroup { get; set; }
    public string? WillingToCooperate { get; set; }
    public string? CommunicationPossible { get; set; }

    public OpenCaseRequest ToRequest() => new()
    {
        Client = ToClient(),
        AccessRoute = FormValues.Enum<Clients.CaseService.Models.AccessRoute>(AccessRoute),
        ConfirmDuplicate = ConfirmDuplicate == "true",
    };

    /// <summary>The indication, when all three criteria were answered.</summary>
    public IndicationRequest? Indication() =>
        FormValues.YesNo(TargetGroup) is { } target && FormValues.YesNo(WillingToCooperate) is { } willing && FormValues.YesNo(CommunicationPossible) is { } communication
            ? new IndicationRequest { TargetGroup = target, WillingToCooperate = willing, CommunicationPossible = communication }
            : null;
}
