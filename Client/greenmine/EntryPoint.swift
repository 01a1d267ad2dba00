import GreenMineClient

/// Runs the `greenmine` command line.
@main
enum EntryPoint {
    static func main() async {
        // Help asked of a command group shows the group's help (HelpRouting), not its default subcommand's.
        await GreenMineCommand.main(HelpRouting.arguments(Array(CommandLine.arguments.dropFirst())))
    }
}
