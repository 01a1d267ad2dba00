import ArgumentParser
import GreenMineShared

/// The `greenmine` command: the offline-first client of the national green mine directory.
public struct GreenMineCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "greenmine",
        abstract: """
        全国绿色矿山名录 离线客户端
        GreenMine, the offline client of the national green mine directory.
        """,
        discussion: """
        Keeps drafts and attachments in a local store, works without a network, and syncs with \
        `greenmine sync` when one is in reach.
        在本地保存草稿和附件，无网络也可填报，有网络时运行 `greenmine sync` 同步。

        First steps 快速上手:
          greenmine login --server http://127.0.0.1:8080 --user NAME
          greenmine pre new --region 130102 --license C1301002009127130054321
          greenmine status
          greenmine sync
        """,
        version: ProductVersion.current,
        subcommands: [
            LoginCommand.self, LogoutCommand.self, WhoamiCommand.self, PasswdCommand.self, StatusCommand.self,
            PreCommand.self, AppCommand.self, EvidenceCommand.self, AttachmentsCommand.self, DetachCommand.self,
            GetCommand.self, HistoryCommand.self, ProfileCommand.self, NoticesCommand.self, DownloadsCommand.self,
            ConflictsCommand.self, RejectionsCommand.self, SyncCommand.self, ScheduleCommand.self,
            ReviewCommand.self, AssessCommand.self, CertCommand.self, AppealCommand.self, AdminCommand.self,
        ]
    )

    public init() {}
}
