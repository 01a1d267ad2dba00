import GreenMineClient

/// Runs the `greenmine` command line.
@main
enum EntryPoint {
    static func main() async {
        await GreenMineCommand.main()
    }
}
