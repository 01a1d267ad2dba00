import Foundation
import Testing
@testable import GreenMineShared

@Suite("Region table (GB/T 2260)")
struct RegionTableTests {
    let table = RegionTable.standard

    @Test func embeddedTableHasEveryRow() {
        #expect(table.count == 3429)
        #expect(table.all.filter { $0.level == .province }.count == 35)
        #expect(table.all.filter { $0.level == .city }.count == 346)
        #expect(table.all.filter { $0.level == .county }.count == 3048)
        #expect(table.all.map(\.code) == table.all.map(\.code).sorted())
    }

    @Test func regionLookUp() throws {
        let dongcheng = try #require(table.region("110101"))
        #expect(dongcheng.name == "东城区")
        #expect(dongcheng.level == .county)
        #expect(dongcheng.parent == "110100")
        #expect(dongcheng.longitude == 116.41649)
        #expect(dongcheng.latitude == 39.928341)
        let henan = try #require(table.region("410000"))
        #expect(henan.parent == nil)
        #expect(table.region("130181")?.longitude == nil)  // no seat coordinates in the data
        #expect(table.region("999999") == nil)
        #expect(table.region("") == nil)
    }

    @Test func provinceAdministeredCountyLevelCity() throws {
        let jiyuan = try #require(table.region("419001"))
        #expect(jiyuan.name == "济源市")
        #expect(jiyuan.parent == "410000")
        #expect(table.region("410000")?.level == .province)
        #expect(table.isCountyLevel("419001"))
        #expect(table.contains("410000", "419001"))
        #expect(!table.contains("410100", "419001"))  // code prefix 41 01.. is not the parent chain
        #expect(table.ancestors(of: "419001").map(\.code) == ["410000"])
        #expect(table.province(of: "419001")?.code == "410000")
        #expect(table.displayPath(of: "419001") == "河南省 / 济源市")
    }

    @Test func countyInsideCityInsideProvince() {
        #expect(table.isCountyLevel("110101"))
        #expect(table.contains("110100", "110101"))
        #expect(table.contains("110000", "110101"))
        #expect(table.contains("110000", "110100"))
        #expect(table.contains("110101", "110101"))
        #expect(!table.contains("110101", "110100"))  // inner is not inside outer the other way round
        #expect(!table.contains("110101", "110000"))
    }

    @Test func containsIsFalseAcrossProvincesAndForUnknownCodes() {
        #expect(!table.contains("110000", "120101"))
        #expect(!table.contains("410000", "110101"))
        #expect(!table.contains("120100", "110101"))
        #expect(!table.contains("410000", "429004"))  // 仙桃市 belongs to 湖北省
        #expect(table.contains("420000", "429004"))
        #expect(!table.contains("999998", "999998"))
        #expect(!table.contains("410000", "419999"))
    }

    @Test func childrenOfACity() {
        let children = table.children(of: "410100")  // 郑州市
        #expect(children.count == 12)
        #expect(children.first?.code == "410102")
        #expect(children.contains { $0.name == "中原区" })
        #expect(children.allSatisfy { $0.parent == "410100" && $0.level == .county })
        #expect(children.map(\.code) == children.map(\.code).sorted())
        #expect(table.children(of: "110101").isEmpty)
        #expect(table.children(of: "000000").isEmpty)
    }

    @Test func childrenOfAProvinceIncludeProvinceAdministeredCounties() {
        let children = table.children(of: "410000").map(\.code)
        #expect(children.contains("410100"))
        #expect(children.contains("419001"))
        #expect(children == children.sorted())
    }

    @Test func ancestorsNearestFirst() {
        #expect(table.ancestors(of: "110101").map(\.code) == ["110100", "110000"])
        #expect(table.ancestors(of: "410102").map(\.name) == ["郑州市", "河南省"])
        #expect(table.ancestors(of: "110100").map(\.code) == ["110000"])
        #expect(table.ancestors(of: "110000").isEmpty)
        #expect(table.ancestors(of: "123456").isEmpty)
    }

    @Test func searchByName() {
        let jiyuan = table.search(name: "济源")
        #expect(jiyuan.map(\.code) == ["419001"])
        let zhengzhou = table.search(name: "郑州")
        #expect(zhengzhou.map(\.code) == ["410100"])
        let chaoyang = table.search(name: "朝阳区")
        #expect(chaoyang.count >= 2)  // 北京 and 长春 both have one
        #expect(chaoyang.map(\.code) == chaoyang.map(\.code).sorted())
        #expect(chaoyang.allSatisfy { $0.name.contains("朝阳区") })
        #expect(table.search(name: " 济源 ").map(\.code) == ["419001"])
        #expect(table.search(name: "").isEmpty)
        #expect(table.search(name: "不存在的地名").isEmpty)
    }

    @Test func provinceOf() {
        #expect(table.province(of: "110101")?.code == "110000")
        #expect(table.province(of: "110100")?.code == "110000")
        #expect(table.province(of: "410000")?.name == "河南省")
        #expect(table.province(of: "659001")?.code == "650000")  // 石河子市
        #expect(table.province(of: "000000") == nil)
    }

    @Test func displayPaths() {
        #expect(table.displayPath(of: "410102") == "河南省 / 郑州市 / 中原区")
        #expect(table.displayPath(of: "110101") == "北京市 / 东城区")  // 北京市 (province) / 北京市 (city) shown once
        #expect(table.displayPath(of: "410000", separator: "-") == "河南省")
        #expect(table.displayPath(of: "410102", separator: "") == "河南省郑州市中原区")
        #expect(table.displayPath(of: "000001") == "000001")
    }

    @Test func countyCodesAccepted() {
        #expect(RegionCode.validate("110101", requireCountyLevel: true) == nil)
        #expect(RegionCode.validate("419001", requireCountyLevel: true) == nil)
        #expect(RegionCode.validate("410000", requireCountyLevel: false) == nil)
        #expect(RegionCode.validate("410100", requireCountyLevel: false) == nil)
    }

    @Test func unknownCodeRefused() {
        let violation = RegionCode.validate("419999", requireCountyLevel: false)
        #expect(violation?.code == "region_unknown")
        #expect(violation?.message.zh.contains("419999") == true)
        #expect(violation?.message.en.contains("419999") == true)
    }

    @Test(arguments: ["", "41010", "4101020", "41O102", "４１０１０２", " 410102", "410102 "])
    func badFormatRefused(code: String) {
        #expect(RegionCode.validate(code, requireCountyLevel: true)?.code == "region_format")
    }

    @Test func formatMessageNamesThePosition() {
        let violation = RegionCode.validate("41O102", requireCountyLevel: true)
        #expect(violation?.message.zh.contains("第3位") == true)
        #expect(violation?.message.en.contains("Position 3") == true)
        #expect(violation?.message.en.contains("“O”") == true)
    }

    @Test func cityWhereCountyRequiredRefused() throws {
        let violation = try #require(RegionCode.validate("410100", requireCountyLevel: true))
        #expect(violation.code == "region_not_county")
        #expect(violation.message.zh.contains("只有所在行政区选择到县一级，对应市县级自然资源主管部门才能看到该申请"))
        #expect(violation.message.zh.contains("河南省 / 郑州市"))
        #expect(violation.message.en.contains("county level"))
        #expect(RegionCode.validate("410000", requireCountyLevel: true)?.code == "region_not_county")
    }

    @Test func validationUsesTheGivenTable() throws {
        let small = try RegionTable(csv: "410000,河南省,province,,,\n419001,济源市,county,410000,,\n")
        #expect(RegionCode.validate("419001", requireCountyLevel: true, table: small) == nil)
        #expect(RegionCode.validate("110101", requireCountyLevel: true, table: small)?.code == "region_unknown")
    }
}

@Suite("Region table CSV import")
struct RegionCSVTests {
    static let header = "code,name,level,parent,longitude,latitude"

    /// Reads a CSV expected to fail and returns the violation.
    func failure(_ csv: String) -> RuleViolation? {
        do {
            _ = try RegionTable(csv: csv)
            return nil
        } catch let violation as RuleViolation {
            return violation
        } catch {
            Issue.record("expected a RuleViolation, got \(error)")
            return nil
        }
    }

    @Test func smallTableRead() throws {
        let csv = [
            Self.header,
            "410000,河南省,province,,113.753394,34.765869",
            "410100,郑州市,city,410000,113.625368,34.7466",
            "410102,中原区,county,410100,,",
            "419001,济源市,county,410000,112.602256,35.067199",
        ].joined(separator: "\r\n") + "\r\n"
        let table = try RegionTable(csv: "\u{FEFF}" + csv)
        #expect(table.count == 4)
        #expect(table.region("410100")?.longitude == 113.625368)
        #expect(table.contains("410000", "410102"))
        #expect(table.children(of: "410000").map(\.code) == ["410100", "419001"])
    }

    @Test func headerIsOptional() throws {
        let table = try RegionTable(csv: "110000,北京市,province,,,")
        #expect(table.count == 1)
    }

    @Test func linesInAnyOrder() throws {
        let table = try RegionTable(csv: "110101,东城区,county,110100,,\n110100,北京市,city,110000,,\n110000,北京市,province,,,")
        #expect(table.ancestors(of: "110101").map(\.code) == ["110100", "110000"])
    }

    @Test(arguments: [
        (["410000,河南省,province,,,", "410100,郑州市,city,410000", "410102,中原区,county,410100,,"], 3, "6"),
        (["410000,河南省,province,,,", "41010X,郑州市,city,410000,,"], 3, "41010X"),
        (["410000,河南省,province,,,", "410100,,city,410000,,"], 3, "410100"),
        (["410000,河南省,province,,,", "410100,郑州市,town,410000,,"], 3, "town"),
        (["410000,河南省,province,,,", "410100,郑州市,city,,,"], 3, "410100"),
        (["410000,河南省,province,110000,,"], 2, "410000"),
        (["410000,河南省,province,,,", "410100,郑州市,city,410000,,", "410100,郑州市,city,410000,,"], 4, "3"),
        (["410000,河南省,province,,,", "410100,郑州市,city,420000,,"], 3, "420000"),
        (["410000,河南省,province,,,", "410100,郑州市,city,410000,,", "410200,开封市,city,410100,,"], 4, "410100"),
        (["410000,河南省,province,,,", "410100,郑州市,city,410000,113.6,"], 3, "longitude"),
        (["410000,河南省,province,,,", "410100,郑州市,city,410000,east,34.7"], 3, "east"),
        (["410000,河南省,province,,,", "410100,郑州市,city,410000,113.6,95"], 3, "95"),
        (["410000,河南省,province,,,", "410100,\"郑州市\",city,410000,,"], 3, "quoted"),
        (["410000,河南省,province,,,", "410101,郑州市,city,410000,,"], 3, "00"),
        (["410000,河南省,province,,,", "410100,郑州市,county,410000,,"], 3, "00"),
        (["410100,河南省,province,,,"], 2, "0000"),
        (["code,name,level,parent"], 1, "header"),
    ])
    func badLineReportedByNumber(dataLines: [String], line: Int, detail: String) throws {
        var lines = dataLines
        if dataLines.first?.hasPrefix("code") != true { lines.insert(Self.header, at: 0) }
        let violation = try #require(failure(lines.joined(separator: "\n")))
        #expect(violation.code == "region_csv")
        #expect(violation.message.zh.contains("第\(line)行"))
        #expect(violation.message.en.contains("line \(line):"))
        #expect(violation.message.en.contains(detail))
    }

    @Test func blankLinesKeepTheNumbering() throws {
        let violation = try #require(failure(Self.header + "\n\n110000,北京市,province,,,\n\n110100,北京市,city,\n"))
        #expect(violation.message.en.hasPrefix("Region table line 5:"))
        #expect(violation.message.zh.hasPrefix("行政区划表第5行"))
    }

    @Test func emptyInputRefused() {
        #expect(failure("")?.code == "region_csv")
        #expect(failure(Self.header + "\n")?.code == "region_csv")
    }

    @Test func embeddedCSVMatchesTheSourceData() throws {
        let source = URL(fileURLWithPath: "/work/shared/data/regions.csv")
        // Only checked where the shared data folder exists (the development machines).
        guard let text = try? String(contentsOf: source, encoding: .utf8) else { return }
        let fromSource = try RegionTable(csv: text)
        #expect(fromSource.all == RegionTable.standard.all)
    }
}
