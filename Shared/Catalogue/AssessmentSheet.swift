import Foundation

/// Reads an assessment record's scores: `prerequisites.<code>` booleans and `scores.<item>` points.
public enum AssessmentSheet {
    /// The scoresheet held in an assessment record's fields.
    public static func scoresheet(of assessment: Record) -> Scoresheet {
        var sheet = Scoresheet()
        for (path, value) in assessment.fields {
            if path.hasPrefix("prerequisites."), let flag = value.bool {
                sheet.prerequisites[String(path.dropFirst("prerequisites.".count))] = flag
            } else if path.hasPrefix("scores."), let points = value.number {
                sheet.items[String(path.dropFirst("scores.".count))] = points
            }
        }
        return sheet
    }

    /// True when every prerequisite is stated and every item has points.
    public static func isComplete(_ sheet: Scoresheet, catalogue: Catalogue) -> Bool {
        catalogue.prerequisites.allSatisfy { sheet.prerequisites[$0.code] != nil }
            && catalogue.allItems.allSatisfy { sheet.items[$0.code] != nil }
    }
}
