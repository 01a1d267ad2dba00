import Foundation
import GRDB
import GreenMineShared

/// Who may see a record, as columns stored beside it and one SQL predicate over them.
/// This file is the only definition of visibility; every query that returns records uses it.
struct VisibilityColumns: Sendable, Hashable {
    var orgId: String?
    var provinceCode: String?
    var cityCode: String?
    var countyCode: String?
    var agency: String?
    var ownerUser: String?
    /// Authorities may see it: a reviewed record past draft, or a child of one. Stored twice: as
    /// `review_visible` (now) and as `review_seen` (ever; the store never clears it), so a withdrawal
    /// reaches the authorities' `gone` while drafts they never saw stay out of it.
    var reviewVisible: Bool

    /// The columns for a record; children take the parent's state, agency and organisation (an
    /// assessment keeps the agency that made it, and none once the application has another).
    static func make(_ record: Record, parent: Record?, regions: RegionTable) -> VisibilityColumns {
        let region = record.region
        let province = region.flatMap { regions.province(of: $0)?.code }
        let city = region.flatMap { code in
            ([regions.region(code)].compactMap { $0 } + regions.ancestors(of: code)).first { $0.level == .city }?.code
        }
        let county = region.flatMap { regions.isCountyLevel($0) ? $0 : nil }
        var agency = record.fields[WorkflowFields.agency]?.string ?? parent?.fields[WorkflowFields.agency]?.string
        if record.kind == .assessment, let parent, !AgencyRules.counts(record, for: parent) {
            // Left behind by an agency the application was taken from: no assessor sees it any more
            // (its old agency's next pull lists it in `gone`); the authorities still do.
            agency = nil
        }
        let reviewVisible: Bool
        switch record.kind {
        case .preApplication, .application, .appeal: reviewVisible = record.state != .draft
        case .evidence, .assessment: reviewVisible = (parent?.state).map { $0 != .draft } ?? false
        case .certificate: reviewVisible = true
        case .notice, .profile, .catalogue: reviewVisible = false
        }
        return VisibilityColumns(orgId: record.orgId, provinceCode: province, cityCode: city, countyCode: county,
                                 agency: agency, ownerUser: record.fields[WorkflowFields.owner]?.string,
                                 reviewVisible: reviewVisible)
    }
}

/// A value bound to a `?` of the visibility SQL: the same fragments serve SQLite (GRDB's arguments)
/// and PostgreSQL (numbered binds, `PostgresSQL`).
enum SQLArgument: Sendable, Hashable {
    case text(String)
    case integer(Int)
    case real(Double)
    case bytes([UInt8])
    case null

    /// Text, or NULL.
    static func text(_ value: String?) -> SQLArgument { value.map { .text($0) } ?? .null }
    /// An integer, or NULL.
    static func integer(_ value: Int?) -> SQLArgument { value.map { .integer($0) } ?? .null }
    /// A number, or NULL.
    static func real(_ value: Double?) -> SQLArgument { value.map { .real($0) } ?? .null }
    /// A flag as the schemas keep it: 1 or 0.
    static func flag(_ value: Bool) -> SQLArgument { .integer(value ? 1 : 0) }

    /// As GRDB binds it.
    var databaseValue: DatabaseValue {
        switch self {
        case .text(let text): text.databaseValue
        case .integer(let number): number.databaseValue
        case .real(let number): number.databaseValue
        case .bytes(let bytes): Data(bytes).databaseValue
        case .null: .null
        }
    }
}

extension [SQLArgument] {
    /// The values as GRDB's statement arguments. Through the existential initializer: the generic one maps
    /// with a key path that Swift builds anew at every call in generic code (~9 % of a push: issue 15).
    var statementArguments: StatementArguments {
        StatementArguments(map { $0.databaseValue as (any DatabaseValueConvertible)? })
    }
}

/// SQL over the visibility columns of `records` (aliased `r`) for one user. The fragments are plain
/// SQL both backends read alike (flags are integers 0/1 in both schemas).
struct VisibilityFilter {
    /// Records the user may see now or could see before, whatever their state (used to tell what is
    /// `gone`): never a draft an authority has not seen.
    var scope: String
    /// Records the user may see now.
    var visible: String
    /// The values of `scope`'s and `visible`'s `?` (each fragment takes its own copy).
    var values: [SQLArgument]
    /// The reviewed and workflow records the user may see now: `visible` without the records every
    /// user shares (catalogues, own profile, notices), for queries over reviewed kinds only (the work
    /// queue), which an index can then serve.
    var reviewVisible: String
    var reviewValues: [SQLArgument]
    /// Over `record_exits` (aliased `e`): the exits of records from this user's reach (nil for the
    /// ministry, whose reach never changes), with its arguments.
    var exitScope: String?
    var exitValues: [SQLArgument]

    /// Stands for a code or name an account lacks: no column ever holds it (a control character, and
    /// not NUL, which PostgreSQL text cannot carry).
    static let noMatch = "\u{1}"

    /// The kinds every user shares (catalogues, profiles, notices); `visible` names them in its SQL.
    static let sharedKinds: Set<RecordKind> = [.catalogue, .profile, .notice]

    /// What the user may see now among the records of one kind: for a kind no user shares,
    /// `reviewVisible`, the same rows as `visible` in a form an index can serve (for an authority it
    /// has the term `r.review_visible = 1`, the condition of the partial index `records_queue`).
    func visible(ofKind kind: RecordKind) -> (sql: String, values: [SQLArgument]) {
        Self.sharedKinds.contains(kind) ? (visible, values) : (reviewVisible, reviewValues)
    }

    var arguments: StatementArguments { values.statementArguments }
    var reviewArguments: StatementArguments { reviewValues.statementArguments }
    var exitArguments: StatementArguments { exitValues.statementArguments }

    init(user: AuthenticatedUser, regions: RegionTable) {
        let info = user.info
        let sql = Self.sql[info.role] ?? Self.fragments(for: info.role)
        scope = sql.scope
        visible = sql.visible
        reviewVisible = sql.reviewVisible
        exitScope = sql.exitScope
        // The one value of the role's own term (none for the ministry), then those of the shared kinds'.
        let own: SQLArgument?
        switch info.role {
        case .enterprise: own = .text(info.orgId ?? Self.noMatch)
        case .county, .city: own = .text(info.region ?? Self.noMatch)
        case .province: own = .text(info.region.flatMap { regions.province(of: $0)?.code } ?? Self.noMatch)
        case .assessor: own = .text(info.agency ?? Self.noMatch)
        case .ministry: own = nil
        }
        exitValues = own.map { [$0] } ?? []
        let home = (info.role == .enterprise ? user.orgRegion : info.region).flatMap { regions.province(of: $0)?.code }
        let shared: [SQLArgument] = [.text(info.id), .text(home ?? Self.noMatch), .integer(info.role == .ministry ? 1 : 0)]
        // Each fragment is used with its own copy of the arguments.
        reviewValues = exitValues
        values = exitValues + shared
    }

    /// The SQL of a role's filter, which depends on the role alone: built once per role, not per request.
    struct Fragments {
        var scope: String
        var visible: String
        var reviewVisible: String
        var exitScope: String?
    }

    private static let sql: [Role: Fragments] = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, fragments(for: $0)) })

    /// Every fragment but the ministry's takes one value of the user's (its own term; `exitScope` too).
    static func fragments(for role: Role) -> Fragments {
        let exitScope: String?
        var roleScope: String
        var roleVisible: String
        switch role {
        case .enterprise:
            exitScope = "e.org_id = ?"
            roleScope = "r.org_id = ?"
            roleVisible = roleScope
        case .county:
            exitScope = "e.county_code = ?"
            roleScope = "(r.review_seen = 1 AND r.county_code = ?)"
            roleVisible = "(r.review_visible = 1 AND r.county_code = ?)"
        case .city:
            exitScope = "(e.city_code = ? AND e.county_code IS NOT NULL)"
            roleScope = "(r.review_seen = 1 AND r.city_code = ? AND r.county_code IS NOT NULL)"
            roleVisible = "(r.review_visible = 1 AND r.city_code = ? AND r.county_code IS NOT NULL)"
        case .province:
            exitScope = "e.province_code = ?"
            roleScope = "(r.review_seen = 1 AND r.province_code = ?)"
            roleVisible = "(r.review_visible = 1 AND r.province_code = ?)"
        case .assessor:
            exitScope = "e.agency = ?"
            roleScope = "(r.review_seen = 1 AND r.agency = ?)"
            roleVisible = "(r.review_visible = 1 AND r.agency = ?)"
        case .ministry:
            exitScope = nil
            roleScope = "r.review_seen = 1"
            roleVisible = "r.review_visible = 1"
        }
        let shared = """
            r.kind = 'catalogue' OR (r.kind = 'profile' AND r.owner_user = ?) \
            OR (r.kind = 'notice' AND (r.province_code IS NULL OR r.province_code = ? OR ? = 1))
            """
        roleScope = "(r.kind NOT IN ('catalogue','profile','notice') AND \(roleScope))"
        roleVisible = "(r.kind NOT IN ('catalogue','profile','notice') AND \(roleVisible))"
        return Fragments(scope: "(\(roleScope) OR \(shared))",
                         visible: "((\(roleVisible) OR \(shared)) AND r.deleted = 0)",
                         reviewVisible: "(\(roleVisible) AND r.deleted = 0)",
                         exitScope: exitScope)
    }
}
