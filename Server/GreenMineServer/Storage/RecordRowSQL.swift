import Foundation
import GreenMineShared

/// The current-version row of `records`, written the same way by both backends: one upsert statement
/// (with `?` placeholders) and its values.
enum RecordRowSQL {
    /// Inserts the row or replaces the current version; `review_seen` never goes back to 0.
    static let upsert = """
        INSERT INTO records (id, kind, version, state, org_id, region, parent_id, licence, agency, owner_user,
                             creator_client, province_code, city_code, county_code, review_visible, review_seen,
                             deleted, change_seq, body, search_text)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET
            version = excluded.version, state = excluded.state, org_id = excluded.org_id,
            region = excluded.region, licence = excluded.licence, agency = excluded.agency,
            owner_user = excluded.owner_user, province_code = excluded.province_code,
            city_code = excluded.city_code, county_code = excluded.county_code,
            review_visible = excluded.review_visible,
            review_seen = CASE WHEN excluded.review_seen > records.review_seen
                               THEN excluded.review_seen ELSE records.review_seen END,
            deleted = excluded.deleted, change_seq = excluded.change_seq, body = excluded.body,
            search_text = excluded.search_text
        """

    /// The values of `upsert`, in order.
    static func values(_ record: Record, columns: VisibilityColumns, creator: UUID?, body: String,
                       changeSeq: Int64) -> [SQLArgument] {
        [
            .text(record.id.storedString), .text(record.kind.rawValue), .integer(record.version),
            .text(record.state.rawValue), .text(columns.orgId), .text(record.region),
            .text(record.parentId?.storedString), .text(record.text(FormSchema.licencePath)), .text(columns.agency),
            .text(columns.ownerUser), .text(creator?.storedString), .text(columns.provinceCode),
            .text(columns.cityCode), .text(columns.countyCode), .flag(columns.reviewVisible),
            .flag(columns.reviewVisible), .flag(record.deleted), .integer(Int(changeSeq)), .text(body),
            .text(QueueSearchText.make(record, orgId: columns.orgId)),
        ]
    }
}
