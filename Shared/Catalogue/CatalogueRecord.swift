import Foundation

/// How an imported catalogue travels to every device (a record of kind `catalogue`, made by the
/// server at import), and which catalogue an application is scored against: the one its assignment
/// fixed (`review.catalogueId`), else the one in force (the newest import), else the sample.
public enum CatalogueRecord {
    /// The catalogue's own id (`sample-2020`, `hebei-2024`, …).
    public static let idPath = "catalogue.id"
    /// The catalogue's version as its publisher states it.
    public static let versionPath = "catalogue.version"
    /// Its Chinese title, for lists.
    public static let namePath = "catalogue.name"
    /// When it was imported (seconds since 1970), which decides the catalogue in force.
    public static let importedAtPath = "catalogue.importedAt"
    /// The whole catalogue as its wire JSON.
    public static let bodyPath = "catalogue.body"

    /// The fields of the record that carries `catalogue`.
    public static func fields(of catalogue: Catalogue, importedAt: Date) throws -> [String: JSONValue] {
        [idPath: .string(catalogue.id), versionPath: .string(catalogue.version), namePath: .string(catalogue.name.zh),
         importedAtPath: .double(importedAt.timeIntervalSince1970),
         bodyPath: .string(String(decoding: try WireCoding.encode(catalogue), as: UTF8.self))]
    }

    /// The catalogue a `catalogue` record carries; nil when it carries none or an invalid one.
    public static func catalogue(in record: Record) -> Catalogue? {
        guard record.kind == .catalogue, !record.deleted, let body = record.text(bodyPath) else { return nil }
        return try? Catalogue.decode(json: Data(body.utf8))
    }

    /// The id of the catalogue in force among these catalogue records: the newest import; the sample
    /// when there is none.
    public static func inForceId(among records: [Record]) -> String {
        records.filter { $0.kind == .catalogue && !$0.deleted && $0.text(idPath) != nil }
            .max { importedAt($0) < importedAt($1) }?.text(idPath) ?? Catalogue.sample.id
    }

    /// The id of the catalogue an application is scored against: the one fixed when it was assigned;
    /// before that, the one its assessment names, else the catalogue in force.
    public static func id(forApplication application: Record, assessment: Record?, inForce: String) -> String {
        application.text(WorkflowFields.catalogue) ?? assessment?.text("assessment.catalogueId") ?? inForce
    }

    private static func importedAt(_ record: Record) -> Double {
        if case .double(let value)? = record.fields[importedAtPath] { return value }
        if case .int(let value)? = record.fields[importedAtPath] { return Double(value) }
        return 0
    }
}
