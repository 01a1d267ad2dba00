import Foundation

extension RegionTable {
    /// The header line the CSV may start with (it is optional).
    static let csvHeader = "code,name,level,parent,longitude,latitude"

    /// Reads a region table from CSV (`code,name,level,parent,longitude,latitude`, optional header line,
    /// no quoted fields); throws `region_csv` naming the first bad line (1-based, header counted).
    public init(csv: String) throws {
        var rows: [(line: Int, region: Region)] = []
        var lineOfCode: [String: Int] = [:]

        for (index, rawLine) in Self.lines(of: csv).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if rows.isEmpty, line.hasPrefix("code,") || line == "code" {
                guard Self.fields(of: line) == Self.fields(of: Self.csvHeader) else {
                    throw Self.csvError(lineNumber,
                                        zh: "表头应为“\(Self.csvHeader)”，实际为“\(line)”",
                                        en: "the header must be “\(Self.csvHeader)”, found “\(line)”")
                }
                continue
            }
            let region = try Self.region(from: line, lineNumber: lineNumber)
            if let earlier = lineOfCode[region.code] {
                throw Self.csvError(lineNumber,
                                    zh: "代码 \(region.code) 与第\(earlier)行重复",
                                    en: "code \(region.code) repeats line \(earlier)")
            }
            lineOfCode[region.code] = lineNumber
            rows.append((lineNumber, region))
        }

        guard !rows.isEmpty else {
            throw RuleViolation(code: "region_csv",
                                zh: "行政区划表没有任何数据行",
                                en: "The region table has no data lines")
        }

        let levelOfCode = Dictionary(uniqueKeysWithValues: rows.map { ($0.region.code, $0.region.level) })
        for (lineNumber, region) in rows {
            guard let parent = region.parent else { continue }
            guard let parentLevel = levelOfCode[parent] else {
                throw Self.csvError(lineNumber,
                                    zh: "上级代码 \(parent) 不在表中",
                                    en: "parent code \(parent) is not in the table")
            }
            guard parentLevel.depth < region.level.depth else {
                throw Self.csvError(lineNumber,
                                    zh: "\(region.level.label.zh)区划 \(region.code) 的上级 \(parent) 是\(parentLevel.label.zh)，上级必须高一级",
                                    en: "the parent \(parent) of \(region.level.label.en) division \(region.code) is \(parentLevel.label.en); a parent must be of a higher level")
            }
        }
        self.init(checked: rows.map(\.region))
    }

    /// Splits text into lines on LF, dropping a trailing CR and a leading byte-order mark, keeping empty lines so numbers match.
    static func lines(of text: String) -> [String] {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        return body.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
            let trimmed = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...]
            return String(decoding: trimmed, as: UTF8.self)
        }
    }

    /// The comma-separated fields of a line, each trimmed of spaces and tabs.
    static func fields(of line: String) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Parses and checks one data line on its own (the parent is checked once every line is read).
    static func region(from line: String, lineNumber: Int) throws -> Region {
        if line.contains("\"") {
            throw csvError(lineNumber, zh: "不支持带引号的字段", en: "quoted fields are not supported")
        }
        let fields = fields(of: line)
        guard fields.count == 6 else {
            throw csvError(lineNumber,
                           zh: "应有6个字段（code,name,level,parent,longitude,latitude），实际有\(fields.count)个",
                           en: "expected 6 fields (code,name,level,parent,longitude,latitude), found \(fields.count)")
        }
        let code = fields[0], name = fields[1], levelText = fields[2], parentText = fields[3]

        guard isSixDigits(code) else {
            throw csvError(lineNumber, zh: "代码“\(code)”不是6位数字", en: "code “\(code)” is not 6 digits")
        }
        guard !name.isEmpty else {
            throw csvError(lineNumber, zh: "代码 \(code) 的名称为空", en: "the name of code \(code) is empty")
        }
        guard let level = RegionLevel(rawValue: levelText) else {
            throw csvError(lineNumber,
                           zh: "级别“\(levelText)”无效，应为 province、city 或 county",
                           en: "level “\(levelText)” is invalid; expected province, city or county")
        }
        try checkCodeShape(code, level: level, lineNumber: lineNumber)

        let parent: String?
        switch (level, parentText.isEmpty) {
        case (.province, true):
            parent = nil
        case (.province, false):
            throw csvError(lineNumber, zh: "省级区划 \(code) 不应有上级代码", en: "province \(code) must not have a parent code")
        case (_, true):
            throw csvError(lineNumber, zh: "\(level.label.zh)区划 \(code) 缺少上级代码", en: "\(level.label.en) division \(code) has no parent code")
        case (_, false):
            guard isSixDigits(parentText) else {
                throw csvError(lineNumber, zh: "上级代码“\(parentText)”不是6位数字", en: "parent code “\(parentText)” is not 6 digits")
            }
            guard parentText != code else {
                throw csvError(lineNumber, zh: "代码 \(code) 的上级是它自己", en: "code \(code) is its own parent")
            }
            parent = parentText
        }

        let longitude = try coordinate(fields[4], limit: 180, zhName: "经度", enName: "longitude", lineNumber: lineNumber)
        let latitude = try coordinate(fields[5], limit: 90, zhName: "纬度", enName: "latitude", lineNumber: lineNumber)
        guard (longitude == nil) == (latitude == nil) else {
            throw csvError(lineNumber, zh: "经度和纬度应同时给出或同时留空", en: "give both longitude and latitude, or neither")
        }
        return Region(code: code, name: name, level: level, parent: parent, longitude: longitude, latitude: latitude)
    }

    /// Checks the GB/T 2260 code structure: a province ends in `0000`, a city in `00`, a county never in `00`.
    static func checkCodeShape(_ code: String, level: RegionLevel, lineNumber: Int) throws {
        switch level {
        case .province where !code.hasSuffix("0000"):
            throw csvError(lineNumber, zh: "省级代码 \(code) 应以0000结尾", en: "province code \(code) must end in 0000")
        case .city where !code.hasSuffix("00"):
            throw csvError(lineNumber, zh: "市级代码 \(code) 应以00结尾", en: "city code \(code) must end in 00")
        case .county where code.hasSuffix("00"):
            throw csvError(lineNumber, zh: "县级代码 \(code) 不能以00结尾", en: "county code \(code) must not end in 00")
        default:
            return
        }
    }

    /// Reads an optional coordinate in degrees within ±limit.
    static func coordinate(_ text: String, limit: Double, zhName: String, enName: String, lineNumber: Int) throws -> Double? {
        if text.isEmpty { return nil }
        guard let value = Double(text), value.isFinite, abs(value) <= limit else {
            throw csvError(lineNumber,
                           zh: "\(zhName)“\(text)”不是 -\(Int(limit)) 到 \(Int(limit)) 之间的数",
                           en: "\(enName) “\(text)” is not a number between -\(Int(limit)) and \(Int(limit))")
        }
        return value
    }

    /// True for exactly six ASCII digits.
    static func isSixDigits(_ text: String) -> Bool {
        text.utf8.count == 6 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// A `region_csv` violation that names the line.
    static func csvError(_ lineNumber: Int, zh: String, en: String) -> RuleViolation {
        RuleViolation(code: "region_csv", zh: "行政区划表第\(lineNumber)行：\(zh)", en: "Region table line \(lineNumber): \(en)")
    }
}
