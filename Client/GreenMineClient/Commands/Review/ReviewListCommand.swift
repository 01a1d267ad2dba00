import ArgumentParser
import GreenMineShared

/// `greenmine review list [--state S] [--region CODE]`: the records under review in this store.
struct ReviewListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "审核列表 List pre-applications, applications, appeals.",
        usage: HelpUsage.of("greenmine review list", "[--state <STATE>] [--region <CODE>]"),
        discussion: """
        Shows what the last sync fetched: the pre-applications, applications and appeals you may see, \
        in every state, newest first. STATE is a state's English or Chinese name.
        显示最近一次同步取得的、您可查看的预申报、新设申请和申诉（各种状态，
        最新的在前）。状态可写英文或中文名称。

        States 状态: submitted 已提交, underReview 已受理, assessing 评估中,
          assessed 已评估, approved 审核通过, rejected 未通过, returned 已退回,
          removed 已移出
        """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("只列此状态的记录 Only records in this state.", valueName: "STATE"))
    var state: String?

    @Option(name: .long, help: ArgumentHelp("只列此行政区内的记录 Only records in this division.",
                                            valueName: "CODE"))
    var region: String?

    func validate() throws {
        if let state, StateName.parse(state) == nil {
            throw ValidationError("unknown state '\(state)' (未知状态); use one of \(StateName.choices)")
        }
        if let region, let violation = RegionCode.validate(region, requireCountyLevel: false) {
            throw ValidationError("--region: \(violation.message.en) (\(violation.message.zh))")
        }
    }

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            let items = try workspace.reviewListing(state: state.flatMap(StateName.parse), region: region)
            if context.json { return try context.emitJSON(items) }
            context.output.write(ReviewPresenter(context: context).list(items))
        }
    }
}

/// A record state typed by a person: its wire name (any case) or its Chinese name.
enum StateName {
    static func parse(_ text: String) -> RecordState? {
        let typed = text.trimmingCharacters(in: .whitespaces)
        return RecordState.allCases.first {
            $0.rawValue.lowercased() == typed.lowercased() || $0.label.zh == typed || $0.label.en == typed.lowercased()
        }
    }

    static var choices: String {
        RecordState.allCases.map(\.rawValue).joined(separator: ", ")
    }
}
