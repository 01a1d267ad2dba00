import Foundation
import GreenMineShared

/// One line of `review list`: a record under the review workflow.
public struct ReviewListItem: Codable, Sendable, Hashable {
    public var id: UUID
    public var kind: RecordKind
    public var state: RecordState
    public var mineName: String?
    public var licenceNumber: String?
    /// The mining-rights holder (采矿权人), or the organisation's credit code.
    public var enterprise: String?
    public var region: String?
    /// The assessment agency an application is assigned to.
    public var agency: String?
    /// Queued changes (this reviewer's transitions not yet sent).
    public var pendingChanges: Int
    /// Server time of the last accepted change.
    public var updatedAt: Date?
}

/// An application's assessment with its score against the catalogue.
public struct AssessmentScore: Codable, Sendable, Hashable {
    /// The assessment record (working copy).
    public var assessment: GreenMineShared.Record
    public var catalogueId: String
    /// The catalogue's name; nil when this device does not hold the catalogue.
    public var catalogueName: LocalizedText?
    /// The catalogue's pass rules; nil when this device does not hold the catalogue.
    public var passRules: Catalogue.PassRules?
    /// Every prerequisite stated and every item scored.
    public var complete: Bool
    /// The score and every reason it fails; nil when the catalogue is unknown here.
    public var result: ScoreResult?
}

/// Everything `review show` shows about one record.
public struct ReviewDetail: Codable, Sendable {
    /// The record, its queued changes, conflicts and refusals.
    public var detail: RecordDetail
    /// The data check's findings on the record as it stands.
    public var findings: [Finding]
    /// For an appeal: the record it appeals.
    public var appealed: GreenMineShared.Record?
    /// 评价指标佐证材料 under an application.
    public var evidence: [GreenMineShared.Record]
    /// The names of the indicator items the evidence is for, from the application's catalogue (when
    /// this device holds it), by item code.
    public var indicatorNames: [String: LocalizedText] = [:]
    /// The assessment that counts, with its score.
    public var assessment: AssessmentScore?
    /// Certificates issued for an application.
    public var certificates: [SignedCertificate]
    /// Appeals filed on the record.
    public var appeals: [GreenMineShared.Record]
    /// The transitions this user may fire now (comments and agency aside).
    public var allowed: [Transition]
}

/// A transition just queued by a reviewer or assessor.
public struct ReviewOutcome: Sendable {
    /// The record after the transition (working copy).
    public var record: LocalRecord
    /// Something the user should know (a rule this device could not check).
    public var note: LocalizedText?
    /// The agency an assignment names, as queued (its name when this device knows it).
    public var agency: String?
}
