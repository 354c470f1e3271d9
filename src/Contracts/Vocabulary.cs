namespace Kim.Contracts;

// The shared vocabulary of the platform (see the glossary). Events carry these values; reports group by them.
// Serialised by name, never by number, so adding a value never changes the meaning of stored data.

/// <summary>The case-management phases of the KIM practice guide, chapter 5.</summary>
public enum CasePhase
{
    Intake,
    Assessment,
    GoalAgreement,
    ServicePlanning,
    ServiceSteering,
    Monitoring,
    Closure,
}

/// <summary>Lebensbereich.</summary>
public enum LifeDomain
{
    Residence,
    Language,
    EducationSchool,
    TrainingWork,
    Housing,
    Health,
    FamilyChildren,
    LivelihoodSecurity,
    SocialParticipation,
}

/// <summary>Rechtskreis.</summary>
public enum LegalDomain
{
    SgbII,
    SgbIII,
    SgbV,
    SgbVIII,
    SgbIX,
    SgbXII,
    AufenthG,
    StAG,
    AsylbLG,
    BAföG,
    CrossDomain,
    Other,
}

/// <summary>Aufenthaltsstatus. <see cref="Unknown"/> when not recorded.</summary>
public enum ResidenceStatus
{
    Unknown,
    PermissionToReside,
    Toleration,
    ResidencePermit,
    TemporaryProtection,
    SettlementPermit,
    EuFreedomOfMovement,
    Naturalised,
}

/// <summary>Organisation types of the production network.</summary>
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

/// <summary>Status of a referral (Leistungssteuerung).</summary>
public enum ReferralStatus
{
    Issued,
    Accepted,
    Started,
    Completed,
    Rejected,
    Cancelled,
}

/// <summary>Why a completed referral did not succeed (null when it did).</summary>
public enum ReferralFailureReason
{
    ClientDeclined,
    NoCapacity,
    Unreachable,
    NotEligible,
    Other,
}

/// <summary>Evaluation of an agreed goal at closure.</summary>
public enum GoalEvaluation
{
    Achieved,
    PartlyAchieved,
    NotAchieved,
    Dropped,
}

/// <summary>Fallbesprechung (inside the CM team) or Fallkonferenz (with outside organisations).</summary>
public enum CaseReviewKind
{
    Review,
    Conference,
}

/// <summary>What a consent allows.</summary>
public enum ConsentPurpose
{
    CaseManagement,
    CaseConference,
    DataTransferToProvider,
    PlanningPseudonymised,
}
