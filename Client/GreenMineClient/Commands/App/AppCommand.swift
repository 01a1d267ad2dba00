import ArgumentParser

/// `greenmine app`: 新设, the application to list a mine.
struct AppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract: """
        新设申请 Applications: the four forms of a mine
        whose pre-application was approved.
        """,
        discussion: """
        Everything works offline and is sent by `greenmine sync`.
        First steps: greenmine app new --from PRE_ID, then greenmine app fill ID (asks field by field) or \
        greenmine app edit ID (opens $EDITOR), greenmine app check ID, greenmine app submit ID.
        """,
        subcommands: [AppNewCommand.self, AppListCommand.self, AppShowCommand.self, AppSetCommand.self,
                      AppEditCommand.self, AppFillCommand.self, AppAttachCommand.self, AppCheckCommand.self, AppSubmitCommand.self,
                      AppWithdrawCommand.self, AppDeleteCommand.self],
        defaultSubcommand: AppListCommand.self)
}
