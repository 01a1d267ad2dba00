import Foundation
import GreenMineShared

/// What the work queue's search box matches, kept in `records.search_text`: the mine name, the licence
/// number, the organisation and the credit code, joined by U+001F (which no search contains). Written
/// with every record (`make`) and, once, by migration v10 for the records before it (`sql`): the same
/// text both ways.
enum QueueSearchText {
    static let separator = "\u{1F}"

    static func make(_ record: GreenMineShared.Record, orgId: String?) -> String {
        [record.text("basic.mineName") ?? "", record.text(FormSchema.licencePath) ?? "", orgId ?? "",
         record.text("basic.creditCode") ?? ""].joined(separator: separator)
    }

    /// The same over a `records` row, in SQL.
    static let sql = """
        coalesce(json_extract(body, '$.fields."basic.mineName"'), '') || char(31) || coalesce(licence, '') \
        || char(31) || coalesce(org_id, '') || char(31) \
        || coalesce(json_extract(body, '$.fields."basic.creditCode"'), '')
        """

    /// The mine name, read back from the text (the order by name).
    static let nameSQL = "substr(r.search_text, 1, instr(r.search_text, char(31)) - 1)"
}
