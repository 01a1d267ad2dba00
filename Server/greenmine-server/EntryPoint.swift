import GreenMineServer

/// Runs the `greenmine-server` command line.
@main
enum EntryPoint {
    static func main() async {
        await ServerCommand.main()
    }
}
