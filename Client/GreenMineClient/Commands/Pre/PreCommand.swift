import ArgumentParser

/// `greenmine pre`: 预申报, the pre-application for a mine.
struct PreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pre",
        abstract: """
        预申报 Pre-applications: region, licence number and
        the five prerequisites.
        """,
        discussion: """
        Everything works offline and is sent by `greenmine sync`.
        First steps: greenmine pre new --region 130102 --license C1301002009127130054321, then \
        greenmine pre set ID prerequisites.licencesValid=是 …, greenmine pre check ID, greenmine pre submit ID.
        """,
        subcommands: [PreNewCommand.self, PreListCommand.self, PreShowCommand.self, PreSetCommand.self,
                      PreAttachCommand.self, PreCheckCommand.self, PreSubmitCommand.self, PreWithdrawCommand.self, PreDeleteCommand.self],
        defaultSubcommand: PreListCommand.self)
}
