import Foundation

/// A plain-text table whose columns line up in a terminal, CJK text included.
public struct TextTable: Sendable {
    /// Column titles.
    public var headers: [String]
    /// Rows of cells (short rows are padded with empty cells).
    public var rows: [[String]]
    /// No cell is shown wider than this many columns.
    public var maxCellWidth: Int

    public init(headers: [String], rows: [[String]] = [], maxCellWidth: Int = 48) {
        self.headers = headers
        self.rows = rows
        self.maxCellWidth = maxCellWidth
    }

    /// Adds a row.
    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines of text: header, a rule, then the rows.
    public func render() -> String {
        let cells = ([headers] + rows).map { row in
            (0..<headers.count).map { index in
                let text = index < row.count ? row[index] : ""
                let flat = text.replacingOccurrences(of: "\n", with: " ")
                return DisplayWidth.truncate(flat, to: maxCellWidth)
            }
        }
        let widths = (0..<headers.count).map { column in cells.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            let padded = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : DisplayWidth.pad(cell, to: widths[index])
            }
            return padded.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [line(cells[0])]
        lines.append(widths.map { String(repeating: "-", count: max($0, 1)) }.joined(separator: "  "))
        lines += cells.dropFirst().map(line)
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
