import ArgumentParser

/// `greenmine evidence`: 评价指标佐证材料, files that back an application's indicator items.
struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "评价指标佐证材料 Evidence: files for an application's indicator items.",
        discussion: """
        Evidence can be added while the application is submitted, under review or being assessed. \
        Works offline; sent by `greenmine sync`.
        申请已提交、已受理或评估中时可上传佐证材料；离线可用，同步时发送。
        """,
        subcommands: [EvidenceAddCommand.self, EvidenceListCommand.self, EvidenceIndicatorsCommand.self,
                      EvidenceRemoveCommand.self],
        defaultSubcommand: EvidenceListCommand.self)
}
