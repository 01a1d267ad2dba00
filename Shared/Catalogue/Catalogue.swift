import Foundation

/// An indicator catalogue (评价指标体系): prerequisites, primary indicators with their secondaries
/// and scored items, and the pass rules. Catalogues differ by year and province, so this is data,
/// imported by an administrator; JSON keys are exactly the property names.
public struct Catalogue: Codable, Hashable, Sendable {
    /// Stable identifier, e.g. `sample-2020`.
    public var id: String
    /// The catalogue's version as its publisher states it.
    public var version: String
    /// The catalogue's title.
    public var name: LocalizedText
    /// True for a sample that ships with the product and is not an official catalogue.
    public var isSample: Bool
    /// A notice shown with the catalogue (a sample's "this is not the official catalogue").
    public var notice: LocalizedText?
    /// The prerequisites (先决条件); failing any one vetoes the mine (一票否决).
    public var prerequisites: [Prerequisite]
    /// The primary indicators (一级指标).
    public var primaries: [Primary]
    /// What a mine needs to pass.
    public var passRules: PassRules
    /// Whether an assessment needs its report (slot `assessment.report`) before it is submitted;
    /// absent (nil) means required, as the manual has it. A catalogue says `false` to waive it.
    public var reportRequired: Bool?

    /// True unless the catalogue waives the assessment report (issue 14).
    public var requiresReport: Bool { reportRequired ?? true }

    /// Makes a catalogue from its parts; call `validate()` before trusting it.
    public init(
        id: String, version: String, name: LocalizedText, isSample: Bool, notice: LocalizedText? = nil,
        prerequisites: [Prerequisite], primaries: [Primary], passRules: PassRules, reportRequired: Bool? = nil
    ) {
        self.id = id
        self.version = version
        self.name = name
        self.isSample = isSample
        self.notice = notice
        self.prerequisites = prerequisites
        self.primaries = primaries
        self.passRules = passRules
        self.reportRequired = reportRequired
    }
}
