import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine evidence indicators APP_ID`: the indicator items evidence may name (issue 14).
struct EvidenceIndicatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators", abstract: "评价指标项 The indicator items of its catalogue.",
        usage: HelpUsage.of("greenmine evidence indicators", "<application-id>"))

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a prefix.")
    var applicationId: String

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            let found = try workspace.evidenceIndicators(applicationId)
            guard let catalogue = found.catalogue else {
                throw ClientError(code: "catalogue_unknown",
                                  zh: "本机没有评价指标体系“\(found.catalogueId)”：请先运行 greenmine sync",
                                  en: "this device does not hold the catalogue '\(found.catalogueId)': run greenmine sync")
            }
            if context.json { return try context.emitJSON(catalogue.allItems) }
            context.output.line(context.text(catalogue.name) + "  (\(catalogue.id))")
            var table = TextTable(headers: [context.text("编号", "Code"), context.text("评价指标项", "Indicator item"),
                                            context.text("分值", "Points")], maxCellWidth: 70)
            for item in catalogue.allItems {
                table.append([item.code, context.text(item.name), Points.text(item.maxPoints)])
            }
            context.output.write(table.render())
        }
    }
}
