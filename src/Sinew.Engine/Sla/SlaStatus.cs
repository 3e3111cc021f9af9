namespace Sinew.Engine.Sla;

/// <summary>The state of one objective: <c>ok</c>, <c>breached</c> or <c>inactive</c> (outside its hours), with the measured value.</summary>
public sealed record SlaStatus(string Channel, string Name, string Objective, string State, double? Value, string Detail, DateTimeOffset Since, DateTimeOffset CheckedAt);
