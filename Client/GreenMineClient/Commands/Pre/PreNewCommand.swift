import ArgumentParser
import GreenMineShared

/// `greenmine pre new`: a new pre-application, filled from the licence registry when it is known.
struct PreNewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "新建预申报 Start a pre-application.",
        usage: HelpUsage.of("greenmine pre new", "--region <CODE> --license <NO>"),
        discussion: """
        The region is a GB/T 2260 division code; choose it down to county level, or county and city \
        departments cannot see the record. The licence number is looked up in the registry online \
        (or in this device's cache) to fill the mine's name.
        所在行政区请选择到县一级，否则市县级主管部门看不到该申请。
        """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("所在行政区代码 Division code (6 digits).", valueName: "CODE"))
    var region: String

    @Option(name: [.customLong("license"), .customLong("licence")],
            help: ArgumentHelp("采矿许可证号 Mining licence number.", valueName: "NO"))
    var license: String

    func run() async throws {
        try await global.run { context in
            let (workspace, session) = try context.workspace()
            let number = license.trimmingCharacters(in: .whitespaces)
            if let violation = RegionCode.validate(region.trimmingCharacters(in: .whitespaces), requireCountyLevel: false) {
                throw ClientError(violation)
            }
            if let violation = LicenceNumber.validate(number) { throw ClientError(violation) }
            let lookup = try await LicenceRegistry.lookup(number, context: context, store: workspace.store,
                                                          session: session)
            let created = try workspace.createPreApplication(region: region, licence: number, lookup: lookup)
            let short = RecordPresenter.shortId(created.record.id)
            try RecordActions(context: context, kind: .preApplication).reportCreated(created, next: LocalizedText(
                zh: "下一步：填写先决条件，例如 greenmine pre set \(short) prerequisites.licencesValid=是；然后 greenmine pre check \(short)",
                en: "Next: state the prerequisites, e.g. greenmine pre set \(short) prerequisites.licencesValid=yes; then greenmine pre check \(short)"))
        }
    }
}
