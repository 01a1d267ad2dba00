import Foundation
import GreenMineShared

/// What the record page shows beyond the record itself: linked records, evidence, the scoresheet.
struct ConsoleRelated: Sendable {
    /// The parent record (a pre-application for an application, the application for its children).
    var parent: Record?
    /// The children the user may see (evidence, assessments, appeals, certificates), oldest first.
    var children: [Record] = []
    /// The application the scoresheet belongs to (the record itself, or the parent of an assessment).
    var application: Record?
    /// The catalogue the application is scored against; nil when the server lacks it.
    var catalogue: Catalogue?
    /// The assessment that counts for the application now (the assigned agency's latest).
    var assessment: Record?
    /// The scoresheet shown: the stored one, or the one typed on a preview or a refused save.
    var sheet = Scoresheet()
    /// The points and answers as typed (a preview or a refused save), by form name.
    var typed: [String: String] = [:]
    /// The conclusion shown in the form.
    var summary = ""
    /// True when the user may score the application now (its agency's assessor, while assessing).
    var canScore = false
    /// What the last scoresheet or report action said.
    var message: ConsoleMessage?

    /// The evidence children.
    var evidence: [Record] { children.filter { $0.kind == .evidence } }

    /// The score of `sheet` by the catalogue: the same computation the server makes at approval.
    var score: ScoreResult? {
        guard let catalogue, assessment != nil || !typed.isEmpty else { return nil }
        return catalogue.score(sheet)
    }
}

/// A line shown above a section: good news or why something was refused.
struct ConsoleMessage: Sendable {
    var ok: Bool
    var text: LocalizedText
}

extension ConsoleController {
    /// Loads the linked records, the catalogue and the assessment of a record for its page.
    func related(_ record: Record, parent: Record?, user: AuthenticatedUser) async throws -> ConsoleRelated {
        var related = ConsoleRelated(parent: parent)
        related.children = try await services.records.visibleChildren(of: record.id, user: user)
        let application: Record?
        switch record.kind {
        case .application: application = record
        case .assessment, .evidence: application = parent?.kind == .application ? parent : nil
        default: application = nil
        }
        guard let application else { return related }
        related.application = application
        let assessments: [Record]
        if record.kind == .assessment {
            assessments = [record]
        } else {
            let siblings = application.id == record.id
                ? related.children : try await services.records.visibleChildren(of: application.id, user: user)
            assessments = siblings.filter { $0.kind == .assessment && AgencyRules.counts($0, for: application) }
                .sorted { ($0.updatedAt ?? .distantPast) < ($1.updatedAt ?? .distantPast) }
        }
        related.assessment = assessments.last
        related.catalogue = try await services.records.scoringCatalogue(forApplication: application,
                                                                         assessment: related.assessment)
        if let assessment = related.assessment {
            related.sheet = AssessmentSheet.scoresheet(of: assessment)
            related.summary = assessment.text("assessment.summary") ?? ""
        }
        let subject = related.assessment ?? Record(id: application.id, kind: .assessment, parentId: application.id)
        related.canScore = user.info.role == .assessor && related.catalogue != nil
            && Workflow.editViolation(by: user.actor, on: WorkflowSubject(record: subject, parent: application),
                                      regions: .standard) == nil
        return related
    }
}
