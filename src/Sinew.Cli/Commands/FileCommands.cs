using System.CommandLine;

namespace Sinew.Cli.Commands;

/// <summary><c>sinew check FILE…</c> and <c>sinew roundtrip FILE…</c>: the format is found from each file's content.</summary>
internal static class FileCommands
{
    public static Command Check() => Build("check", "Validate HL7 v2 or X12 files and print their issues; exit 1 when any has errors", (format, path) => format.Check(path, Console.Out));

    public static Command Roundtrip() => Build("roundtrip", "Parse and re-serialize HL7 v2 or X12 files; exit 1 when the bytes differ", (format, path) => format.Roundtrip(path, Console.Out));

    private static Command Build(string name, string description, Func<IFileFormatHandler, string, int> run)
    {
        var files = new Argument<string[]>("files") { Description = "Files to read", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { files };
        command.SetAction(parse =>
        {
            var exit = 0;
            foreach (var path in parse.GetValue(files)!)
            {
                if (!File.Exists(path))
                {
                    Console.Error.WriteLine($"{path}: no such file");
                    exit = Math.Max(exit, 2);
                    continue;
                }
                IFileFormatHandler? format;
                try
                {
                    format = FileFormats.Detect(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"{path}: cannot be read: {ex.Message}");
                    exit = Math.Max(exit, 2);
                    continue;
                }
                if (format is null)
                {
                    Console.Error.WriteLine($"{path}: not a format Sinew recognises (expected HL7 v2 starting with MSH/FHS/BHS, or X12 starting with ISA)");
                    exit = Math.Max(exit, 1);
                    continue;
                }
                exit = Math.Max(exit, run(format, path));
            }
            return exit;
        });
        return command;
    }
}
