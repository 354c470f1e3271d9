using System.Security.Claims;
using Kim.ServiceDefaults.Security;

namespace Kim.WebApp.Components.Layout;

/// <summary>What the main navigation offers a person, by their roles.</summary>
public static class Navigation
{
    public static IReadOnlyList<(string Href, string Label)> For(ClaimsPrincipal user)
    {
        var links = new List<(string, string)>();
        if (Roles.WorksOnCases(user))
        {
            links.Add(("/", "Meine Arbeit"));
            links.Add(("/faelle", "Fälle"));
            links.Add(("/faelle/neu", "Fall anlegen"));
            links.Add(("/weiterleitungen", "Eingehende Weiterleitungen"));
        }

        if (user.IsInRole(KimRoles.Coordinator))
        {
            links.Add(("/rekonstruktionen", "Fallrekonstruktionen"));
            links.Add(("/aufsicht", "Fachaufsicht"));
        }

        if (user.IsInRole(KimRoles.Coordinator) || user.IsInRole(KimRoles.SteeringMember))
        {
            links.Add(("/lenkungsgruppe", "Lenkungsgruppe"));
        }

        if (user.IsInRole(KimRoles.Coordinator))
        {
            links.Add(("/planung", "Arbeitsgruppen und Planung"));
            links.Add(("/monitoring", "Monitoring"));
            links.Add(("/meldung", "Meldung an das Land"));
        }

        if (user.IsInRole(KimRoles.StateReporter))
        {
            links.Add(("/land", "Landesauswertung"));
        }

        if (user.IsInRole(KimRoles.DataProtectionOfficer))
        {
            links.Add(("/protokoll", "Zugriffsprotokoll"));
        }

        return links;
    }
}
