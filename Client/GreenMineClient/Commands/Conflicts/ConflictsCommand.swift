import ArgumentParser

/// `greenmine conflicts`: fields the server kept at someone else's value.
struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "冲突 Fields another user changed differently while you were offline.",
        discussion: """
        A conflict arises when a field you changed offline was changed differently on the server. The \
        server keeps its value until you choose: --mine sends yours again, --theirs keeps the server's, \
        --set PATH=VALUE sends a third value.
        """,
        subcommands: [ConflictsListCommand.self, ConflictsShowCommand.self, ConflictsResolveCommand.self],
        defaultSubcommand: ConflictsListCommand.self)
}
