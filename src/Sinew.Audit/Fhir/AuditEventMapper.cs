using Hl7.Fhir.Model;
using Sinew.Audit.Log;

namespace Sinew.Audit.Fhir;

/// <summary>
/// Turns an audit record into a FHIR R4 <c>AuditEvent</c> in the style of IHE Basic Audit Log Patterns: DICOM/FHIR type
/// and subtype codes plus Sinew's own action code, the actor as requestor agent with role and network address, Sinew as
/// observer, the target as an entity referenced by identifier (a message id or channel name, never patient data), the
/// outcome code and the reason as purposeOfEvent.
/// </summary>
public static class AuditEventMapper
{
    public const string ActionSystem = "https://sinew.dev/fhir/CodeSystem/audit-action";
    public const string TargetSystem = "https://sinew.dev/fhir/NamingSystem/";
    private const string Dcm = "http://dicom.nema.org/resources/ontology/DCM";
    private const string EventType = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private const string Restful = "http://hl7.org/fhir/restful-interaction";

    public static AuditEvent ToAuditEvent(AuditEntry entry)
    {
        var record = entry.Record;
        var (type, subtype, action) = Classify(record.Action);
        var audit = new AuditEvent
        {
            Id = entry.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Type = type,
            Action = action,
            Recorded = record.At,
            Outcome = record.Outcome switch
            {
                "success" => AuditEvent.AuditEventOutcome.N0,
                "denied" => AuditEvent.AuditEventOutcome.N4,
                _ => AuditEvent.AuditEventOutcome.N8,
            },
            OutcomeDesc = record.Outcome,
            Source = new AuditEvent.SourceComponent
            {
                Site = "sinew",
                Observer = new ResourceReference { Display = "Sinew integration engine" },
                Type = [new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")],
            },
        };
        audit.Subtype.Add(new Coding(ActionSystem, record.Action));
        if (subtype is not null)
        {
            audit.Subtype.Add(subtype);
        }
        var agent = new AuditEvent.AgentComponent
        {
            Who = new ResourceReference { Identifier = new Identifier(TargetSystem + "actor", record.Actor), Display = record.Actor },
            Requestor = record.Actor != "sinew",
            Type = new CodeableConcept(Dcm, record.Actor == "sinew" ? "110150" : "110153", record.Actor == "sinew" ? "Application" : "Source Role ID"),
        };
        if (record.Role is { Length: > 0 } role)
        {
            agent.Role.Add(new CodeableConcept { Text = role, Coding = [new Coding(TargetSystem + "role", role)] });
        }
        if (record.Source is { Length: > 0 } source)
        {
            agent.Network = new AuditEvent.NetworkComponent { Address = source, Type = AuditEvent.AuditEventAgentNetworkType.N2 };
        }
        audit.Agent.Add(agent);
        if (record.Reason is { Length: > 0 } reason)
        {
            agent.PurposeOfUse.Add(new CodeableConcept { Text = reason });
            audit.PurposeOfEvent.Add(new CodeableConcept { Text = reason });
        }
        if (record.Target is { Length: > 0 } target)
        {
            var slash = target.IndexOf('/', StringComparison.Ordinal);
            var kind = slash > 0 ? target[..slash] : "object";
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference { Identifier = new Identifier(TargetSystem + kind, slash > 0 ? target[(slash + 1)..] : target), Display = target },
                Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
            });
        }
        audit.Entity.Add(new AuditEvent.EntityComponent
        {
            What = new ResourceReference { Identifier = new Identifier(TargetSystem + "audit-chain", entry.Hash) },
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "4", "Other"),
            Description = "hash of this record in Sinew's audit chain",
        });
        return audit;
    }

    private static (Coding Type, Coding? Subtype, AuditEvent.AuditEventAction Action) Classify(string action) => action switch
    {
        "message.view-body" or "phi.view" or "token.resolve" =>
            (new Coding(EventType, "rest", "RESTful Operation"), new Coding(Restful, "read", "read"), AuditEvent.AuditEventAction.R),
        "message.reprocess" or "message.edit" or "message.discard" =>
            (new Coding(EventType, "rest", "RESTful Operation"), new Coding(Restful, "update", "update"), AuditEvent.AuditEventAction.U),
        "auth.login-failed" or "auth.login" =>
            (new Coding(Dcm, "110114", "User Authentication"), new Coding(Dcm, "110122", "Login"), AuditEvent.AuditEventAction.E),
        "key.rotate" or "config.change" =>
            (new Coding(Dcm, "110113", "Security Alert"), new Coding(Dcm, "110129", "Security Configuration"), AuditEvent.AuditEventAction.E),
        "policy.block" or "policy.restrict" =>
            (new Coding(Dcm, "110113", "Security Alert"), null, AuditEvent.AuditEventAction.E),
        _ => (new Coding(Dcm, "110100", "Application Activity"), null, AuditEvent.AuditEventAction.E),
    };
}
