import ArgumentParser
import GreenMineShared

/// `greenmine review agencies`: the assessment agencies this device last fetched (offline).
struct ReviewAgenciesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agencies", abstract: "评估机构名单 The assessment agencies (last sync).",
        usage: HelpUsage.of("greenmine review agencies", ""),
        discussion: """
        The third-party assessment agencies the server keeps and you may assign, as of your last sync \
        or login; `review assign --agency` takes a name or a code from this list.
        服务器登记的、您可指派的第三方评估机构（截至最近一次同步或登录）；
        review assign --agency 可填写名单中的名称或代码。
        """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { context in
            let store = try context.openStore(.read)
            let agencies = try store.read { try AgencyCache.known($0) } ?? []
            if context.json { return try context.emitJSON(AgenciesResponse(agencies: agencies)) }
            guard !agencies.isEmpty else {
                context.say("本机没有评估机构名单：请先同步（greenmine sync）。",
                            "This device holds no list of agencies: run greenmine sync first.")
                return
            }
            var table = TextTable(headers: [context.text("代码", "code"), context.text("名称", "name"),
                                            context.text("服务省份", "provinces")])
            for agency in agencies {
                let provinces = agency.provinces.isEmpty ? context.text("全国", "all")
                    : agency.provinces.map { RegionTable.standard.region($0)?.name ?? $0 }.joined(separator: "、")
                table.append([agency.code, agency.name, provinces])
            }
            context.output.write(table.render())
        }
    }
}
