using System.CommandLine;
using Sinew.Cli.Commands;

var root = new RootCommand("Sinew — a healthcare integration engine: HL7 v2, FHIR, X12, CSV and ERP APIs, with a durable journal")
{
    RunCommand.Build(),
    ValidateCommand.Build(),
    TestCommand.Build(),
    SchemaCommand.Build(),
    AdminCommands.Channels(),
    AdminCommands.Messages(),
    AdminCommands.Queues(),
    AdminCommands.Report(),
    FileCommands.Check(),
    FileCommands.Roundtrip(),
    X12Command.Build(),
    Hl7Command.Build(),
};
root.Options.Add(CommonOptions.SharedToken);
foreach (var command in SecurityCommands.Build().Concat(AuditCommands.Build()))
{
    root.Subcommands.Add(command);
}
return await root.Parse(args).InvokeAsync();
