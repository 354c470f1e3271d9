namespace Kim.NetworkService.Organisations;

/// <summary>Organisation types of the production network (glossary).</summary>
public enum OrganisationType
{
    Carrier,
    MunicipalOffice,
    ImmigrationAuthority,
    NaturalisationAuthority,
    Jobcenter,
    EmploymentAgency,
    SchoolOrDaycare,
    MigrantOrganisation,
    IntegrationCouncil,
    MemberTown,
    Politics,
    Volunteers,
    OtherCaseManagement,
}

/// <summary>An organisation in the network registry (Akteur:in).</summary>
public sealed class Organisation
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    public OrganisationType Type { get; set; }

    public DateTime RegisteredAt { get; init; }
}
