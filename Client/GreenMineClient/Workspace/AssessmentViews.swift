import Foundation
import GreenMineShared

/// One line of `assess list`: an application assigned to the assessor's agency.
public struct AssessmentListItem: Codable, Sendable, Hashable {
    /// The application.
    public var id: UUID
    public var state: RecordState
    public var mineName: String?
    public var licenceNumber: String?
    public var region: String?
    public var agency: String?
    /// The assessment record, once scoring started.
    public var assessmentId: UUID?
    /// Items scored, of the catalogue's items.
    public var scoredItems: Int
    public var totalItems: Int
    /// Prerequisites answered, of the catalogue's.
    public var statedPrerequisites: Int
    public var totalPrerequisites: Int
    /// Points so far, and whether the scores pass (nil before scoring or with an unknown catalogue).
    public var total: Double?
    public var passed: Bool?
    /// Queued changes of the application and its assessment.
    public var pendingChanges: Int
}

/// `assess show`: an application's scoresheet against its catalogue.
public struct AssessmentSheetView: Sendable {
    public var application: LocalRecord
    /// The assessment record, nil before the first score.
    public var assessment: LocalRecord?
    public var catalogue: Catalogue
    public var sheet: Scoresheet
    public var result: ScoreResult
    /// Every prerequisite answered and every item scored.
    public var complete: Bool
    /// Item code → evidence records the enterprise uploaded for it.
    public var evidence: [String: Int]
    /// The assessment's queued changes.
    public var pending: [Mutation]

    /// Item codes not scored yet, in catalogue order.
    public var unscoredItems: [String] {
        catalogue.allItems.map(\.code).filter { sheet.items[$0] == nil }
    }

    /// Prerequisite codes not answered yet.
    public var unstatedPrerequisites: [String] {
        catalogue.prerequisites.map(\.code).filter { sheet.prerequisites[$0] == nil }
    }
}

/// What `assess score` changed.
public struct ScoreUpdate: Sendable {
    /// The assessment after the change.
    public var assessment: LocalRecord
    /// True when this change made the assessment record.
    public var created: Bool
    /// The paths set, with their new values (`null`: cleared).
    public var changes: [String: JSONValue]
}
