import ArgumentParser

/// Help asked of a command group (issue 14: `greenmine profile --lang en --help` showed only `show`).
/// ArgumentParser shows a group's own help only when `--help` is the one argument after it; with any
/// other argument beside it, it falls to the group's `defaultSubcommand` and shows that one's help
/// (and an option before the first command, `greenmine --lang en profile --help`, gets the root's).
/// `arguments(_:)` rewrites such a request into the form ArgumentParser answers with the right screen:
/// the commands named, then `--help`.
public enum HelpRouting {
    static let helpFlags: Set<String> = ["-h", "--help", "-help"]

    /// `arguments` unchanged unless they ask for help (before any `--`); then the command path they
    /// name (subcommand names, wherever they stand, each a child of the one before) followed by
    /// `--help` for a group, or by the other arguments for a leaf command.
    public static func arguments(_ arguments: [String], root: ParsableCommand.Type = GreenMineCommand.self) -> [String] {
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        guard arguments[..<end].contains(where: helpFlags.contains) else { return arguments }
        var node = root
        var path: [String] = []
        var rest = Array(arguments[..<end])
        while !node.configuration.subcommands.isEmpty {
            guard let index = rest.firstIndex(where: { child(of: node, named: $0) != nil }),
                  let next = child(of: node, named: rest[index]) else {
                return path + ["--help"]
            }
            path.append(rest.remove(at: index))
            node = next
        }
        return path + rest + arguments[end...]
    }

    /// The subcommand of `node` called `name` (or by one of its aliases).
    static func child(of node: ParsableCommand.Type, named name: String) -> ParsableCommand.Type? {
        node.configuration.subcommands.first { command in
            command.configuration.commandName == name || command.configuration.aliases.contains(name)
        }
    }
}
